from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Dự án phát triển"

    def ready(self):
        from lechan import cache, search
        from projects.models import Project

        search.register(
            Project,
            title="name",
            lead="summary",
            body=lambda project: f"{project.investor} {project.description}",
        )
        cache.watch_takedowns(Project)
