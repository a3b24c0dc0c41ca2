from django.apps import AppConfig

REPORTER_PERMISSIONS = ["view_project", "view_projectimage", "view_projectmilestone", "view_ward"]


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Dự án phát triển"

    def ready(self):
        from lechan import content
        from projects.models import Project
        from projects.sitemaps import ProjectListSitemap, ProjectSitemap

        content.register(
            Project,
            search={
                "title": "name",
                "lead": "summary",
                "body": lambda project: f"{project.investor} {project.description}",
            },
            reporter_permissions=REPORTER_PERMISSIONS,
            sitemaps={"list": ProjectListSitemap, "items": ProjectSitemap},
        )
