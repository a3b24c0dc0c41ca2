"""A portal with every kind of content a public page shows, for the tests of every page type.

Articles with photos, tags, a speaker, an event, projects and key figures; projects with
a ward, photos, milestones and figures; a draft and a hidden project beside them. Built
in code, so that the pages' HTML and query counts are checked against what editors enter.
"""

import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import Article, ArticleImage, Category, Event, KeyFigure, Person, Tag
from projects.models import Project, ProjectImage, ProjectMilestone, Ward


def jpeg(name, size=(640, 400)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@dataclass
class Portal:
    article: Article
    project: Project
    category: Category
    tag: Tag
    speaker: Person
    event: Event
    ward: Ward


def build_portal(articles=3, projects=3, photos=True):
    """`articles` published articles and `projects` public projects, all related.

    Call it again with larger numbers to add rows to the same portal: names carry the
    current row count, so every call makes new rows.
    """
    start = Article.objects.count()
    category, _ = Category.objects.get_or_create(name="Xây dựng Đảng")
    other_category, _ = Category.objects.get_or_create(name="Kinh tế – Đô thị")
    ward, _ = Ward.objects.get_or_create(name="Hồ Nam")
    speaker, _ = Person.objects.get_or_create(
        name="Lê Trung Kiên", defaults={"position": "Bí thư Quận ủy Lê Chân"}
    )
    event, _ = Event.objects.get_or_create(
        name="Đại hội 16 Đảng bộ thành phố", defaults={"start_date": date(2020, 10, 14)}
    )
    tags = [Tag.objects.get_or_create(name=name)[0] for name in ("Quận Lê Chân", "Đô thị")]

    made_projects = []
    for n in range(start, start + projects):
        project = Project.objects.create(
            name=f"Đường Hồ Sen – Cầu Rào {n + 2}",
            kind=Project.Kind.ROAD,
            status=Project.Status.COMPLETED if n % 2 else Project.Status.UNDER_CONSTRUCTION,
            zone=Project.Zone.SOUTH,
            ward=ward,
            investor="Ban Quản lý dự án <Hải Phòng> & đối tác",
            funding=Project.Funding.STATE_BUDGET,
            investment_vnd=Decimal("1500000000000"),
            area_ha=Decimal("91.95"),
            households_relocated=1500,
            start_year=2018,
            completion_year=2021,
            summary="Tuyến đường nối <Hồ Sen> với Cầu Rào & khu dân cư.",
            description="Đoạn một.\n\nĐoạn hai.",
        )
        ProjectMilestone.objects.create(
            project=project, status=Project.Status.STALLED, note="Chậm 26 năm", order=1
        )
        ProjectMilestone.objects.create(
            project=project,
            status=Project.Status.COMPLETED,
            date=date(2021, 9, 2),
            order=2,
        )
        if photos:
            ProjectImage.objects.create(
                project=project, image=jpeg(f"du-an-{n}.jpg"), alt_text="Mặt bằng", credit="BQL"
            )
        made_projects.append(project)
    hidden = Project.objects.create(name=f"Dự án ẩn {start}", is_published=False)

    made_articles = []
    now = timezone.now()
    for n in range(start, start + articles):
        article = Article.objects.create(
            title=f"Đổi mới phương thức lãnh đạo, bài {n}",
            kind=Article.Kind.SPEECH if n % 2 else Article.Kind.NEWS,
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(days=200 * n + 1),
            lead="Sáng 15-10, <đại hội> & các đại biểu thảo luận.",
            body="<p>Đoạn một có <strong>chữ đậm</strong>.</p><p>Đoạn hai.</p><p>Đoạn ba.</p>",
            category=category if n % 2 else other_category,
            speaker=speaker,
            event=event,
            event_day=3,
            reporter="Hồng Thanh (ghi)",
            photographer="Duy Thính",
            source_name="Cổng tin tức Thành phố Hải Phòng",
            source_url="https://example.org/bai",
        )
        article.tags.set(tags)
        article.projects.set([*made_projects, hidden])
        if photos:
            ArticleImage.objects.create(
                article=article,
                image=jpeg(f"bai-{n}.jpg"),
                caption="Đồng chí Bí thư phát biểu",
                alt_text="Người phát biểu trên bục",
                credit="Duy Thính",
                position=2,
            )
        ArticleImage.objects.create(article=article, caption="Chú thích không có ảnh", position=1)
        KeyFigure.objects.create(
            article=article,
            label="Tổng vốn đầu tư toàn xã hội",
            value=Decimal("40843"),
            unit="tỷ đồng",
            period="2016–2020",
        )
        KeyFigure.objects.create(
            article=article,
            project=made_projects[0] if made_projects else None,
            label="Diện tích",
            qualifier=KeyFigure.Qualifier.ABOUT,
            value=Decimal("91.95"),
            unit="ha",
        )
        made_articles.append(article)
    Article.objects.create(
        title=f"Bài nháp {start}",
        status=Article.Status.DRAFT,
        category=category,
        speaker=Person.objects.create(name=f"Người trong bản nháp {start}"),
    )
    return Portal(
        article=made_articles[0] if made_articles else None,
        project=made_projects[0] if made_projects else None,
        category=category,
        tag=tags[0],
        speaker=speaker,
        event=event,
        ward=ward,
    )
