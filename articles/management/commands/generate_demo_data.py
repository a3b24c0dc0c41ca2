"""Realistic-looking Vietnamese demo content for load and search benchmarks.

Never part of the seed fixture: every row it makes has a slug starting with
"demo-", and `--clear` removes them all.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.core.management import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles.models import Article, Category, Person, Tag
from lechan import search
from projects.models import Project, Ward

PREFIX = "demo-"
WARDS = [
    "An Biên", "An Dương", "Cát Dài", "Dư Hàng", "Dư Hàng Kênh", "Đông Hải", "Hàng Kênh",
    "Hồ Nam", "Kênh Dương", "Lam Sơn", "Nghĩa Xá", "Niệm Nghĩa", "Trại Cau",
    "Trần Nguyên Hãn", "Vĩnh Niệm",
]  # fmt: skip
CATEGORIES = [
    "Thời sự", "Xây dựng Đảng", "Kinh tế", "Đô thị", "Văn hóa – Xã hội", "Giáo dục",
    "Y tế", "An ninh – Quốc phòng",
]  # fmt: skip
SUBJECTS = [
    "Quận Lê Chân", "Ủy ban nhân dân quận", "Quận ủy Lê Chân", "Phường {ward}",
    "Hội đồng nhân dân quận", "Mặt trận Tổ quốc quận", "Đoàn Thanh niên phường {ward}",
]  # fmt: skip
VERBS = [
    "triển khai", "đẩy mạnh", "hoàn thành", "khởi công", "nghiệm thu", "kiểm tra",
    "tổng kết", "phát động", "đối thoại về", "tháo gỡ vướng mắc", "rà soát", "đầu tư",
]  # fmt: skip
OBJECTS = [
    "cải tạo đường ngõ", "giải phóng mặt bằng", "chỉnh trang đô thị", "thu ngân sách",
    "xây dựng nông thôn mới", "chuyển đổi số", "cải cách hành chính", "trật tự vỉa hè",
    "phòng chống dịch", "xây dựng trường học", "hỗ trợ hộ nghèo", "khu đô thị mới",
    "trung tâm thương mại", "tuyến đường Hồ Sen – Cầu Rào 2", "bảo vệ môi trường",
    "phát triển du lịch", "an toàn giao thông", "nhà ở xã hội", "chiếu sáng công cộng",
]  # fmt: skip
STREETS = [
    "Nguyễn Văn Linh", "Lạch Tray", "Tô Hiệu", "Hồ Sen", "Cầu Rào", "Trần Nguyên Hãn",
    "Lán Bè", "Hai Bà Trưng", "Chợ Hàng", "Dân Lập", "Miếu Hai Xã", "Nguyễn Công Trứ",
    "Thiên Lôi", "Võ Nguyên Giáp", "Mê Linh", "Cát Cụt", "Hàng Kênh", "Dư Hàng", "Lam Sơn",
    "Nguyễn Tường Loan", "Phạm Hữu Điều", "Trại Lẻ", "An Đà", "Đình Đông", "Quán Nam",
]  # fmt: skip
TOPICS = [
    "mầm non", "tiểu học", "trạm y tế", "nhà văn hóa", "công viên", "bãi đỗ xe",
    "chợ dân sinh", "hệ thống thoát nước", "cây xanh", "vệ sinh an toàn thực phẩm",
    "tiêm chủng", "thể dục thể thao", "khuyến học", "người cao tuổi", "thanh niên tình nguyện",
    "phòng cháy chữa cháy", "điện lực", "cấp nước sạch", "thu gom rác", "kiểm tra xây dựng",
    "cấp giấy chứng nhận", "thuế hộ kinh doanh", "hội chợ", "lễ hội truyền thống",
    "di tích lịch sử", "đình chùa", "bảo hiểm y tế", "việc làm",
]  # fmt: skip
PLACES = [
    "phía Nam đường Nguyễn Văn Linh", "ven sông Lạch Tray", "khu vực chợ Hàng",
    "đường Lán Bè", "chân cầu An Dương", "phường {ward}", "trên địa bàn quận",
    "đường {street}", "ngõ {n} đường {street}", "tổ dân phố số {n} phường {ward}",
]  # fmt: skip
SENTENCES = [
    "Theo báo cáo, {subject} đã {verb} {object} {place} với nhiều kết quả tích cực.",
    "Tổng vốn đầu tư cho {object} đạt {n} tỷ đồng, tăng so với cùng kỳ năm trước.",
    "Người dân {place} đồng tình ủng hộ, chung tay đóng góp hơn {n} triệu đồng.",
    "Lãnh đạo quận yêu cầu các đơn vị tiếp tục {verb} {object}, bảo đảm tiến độ.",
    "Dự kiến đến năm {year}, {object} {place} sẽ cơ bản hoàn thành.",
    "Công tác {topic} {place} được quan tâm, {subject} thường xuyên kiểm tra, đôn đốc.",
    "Sáng {day}-{month}, {subject} tổ chức hội nghị về {topic} tại đường {street}.",
    "Đã có {n} hộ dân được hỗ trợ, di dời để thực hiện {object}.",
]  # fmt: skip
TITLES = [
    "{subject} {verb} {object} {place}",
    "{topic} {place}: {subject} {verb} {object}",
    "Đẩy mạnh {topic} tại phường {ward}",
    "{subject} họp bàn về {topic}",
    "Hoàn thành {object} trên đường {street}",
]
PROJECT_NAMES = [
    ("road", "Đường {place_name}"), ("commercial", "Trung tâm thương mại {brand}"),
    ("hotel", "Khách sạn {brand}"), ("urban_area", "Khu đô thị {brand}"),
    ("apartments", "Chung cư {brand}"), ("public_works", "Trường học phường {ward}"),
]  # fmt: skip
TAGS = [
    "Giao thông", "Giải phóng mặt bằng", "Chỉnh trang đô thị", "Nhà ở xã hội", "Y tế",
    "Giáo dục", "Chuyển đổi số", "Cải cách hành chính", "Môi trường", "An ninh trật tự",
    "Thu ngân sách", "Hộ nghèo", "Văn hóa", "Thể thao", "Du lịch", "Đại hội Đảng",
    "Hội đồng nhân dân", "Mặt trận Tổ quốc", "Thanh niên", "Người cao tuổi",
]  # fmt: skip
BRANDS = [
    "Hoàng Huy", "Sao Đỏ", "Bạch Đằng", "Lạch Tray", "Cầu Rào", "Hồ Sen", "Nguyễn Văn Linh",
    "An Dương", "Vĩnh Niệm", "Minh Khai", "Phương Lưu", "Cát Bi", "Thiên Lôi", "Đông Hải",
]  # fmt: skip


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu (bài viết, dự án) để đo tốc độ; không trộn vào dữ liệu gốc."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1000)
        parser.add_argument("--projects", type=int, default=100)
        parser.add_argument("--seed", type=int, default=16)
        parser.add_argument("--clear", action="store_true", help="xóa dữ liệu mẫu cũ trước")

    def handle(self, *args, articles, projects, seed, clear, **options):
        rng = random.Random(seed)
        if clear:
            Article.objects.filter(slug__startswith=PREFIX).delete()
            Project.objects.filter(slug__startswith=PREFIX).delete()
        with transaction.atomic():
            wards = [Ward.objects.get_or_create(name=name)[0] for name in WARDS]
            categories = [Category.objects.get_or_create(name=name)[0] for name in CATEGORIES]
            people = [
                Person.objects.get_or_create(name=name, defaults={"position": position})[0]
                for name, position in [
                    ("Nguyễn Văn An", "Chủ tịch Ủy ban nhân dân quận"),
                    ("Trần Thị Bình", "Phó Bí thư Quận ủy"),
                    ("Lê Văn Cường", "Trưởng phòng Quản lý đô thị"),
                ]
            ]
            tags = [Tag.objects.get_or_create(name=name)[0] for name in TAGS]
            self._projects(rng, projects, wards)
            made = self._articles(rng, articles, categories, people)
            self._links(rng, made, tags)
        for model in (Article, Project):
            search.rebuild(model)
        self.stdout.write(f"Đã tạo {articles} bài viết và {projects} dự án mẫu.")

    def _fill(self, rng, template):
        ward = rng.choice(WARDS)
        return template.format(
            subject=rng.choice(SUBJECTS).format(ward=ward),
            verb=rng.choice(VERBS),
            object=rng.choice(OBJECTS + TOPICS),
            place=rng.choice(PLACES).format(
                ward=ward, street=rng.choice(STREETS), n=rng.randint(1, 300)
            ),
            street=rng.choice(STREETS),
            topic=rng.choice(TOPICS),
            day=rng.randint(1, 28),
            month=rng.randint(1, 12),
            n=rng.randint(2, 900),
            year=rng.randint(2021, 2030),
            ward=ward,
            brand=rng.choice(BRANDS),
            place_name=rng.choice(BRANDS),
        )

    def _articles(self, rng, count, categories, people):
        start = Article.objects.filter(slug__startswith=PREFIX).count()
        now = timezone.now()
        batch, made = [], []
        for n in range(start, start + count):
            title = self._fill(rng, rng.choice(TITLES))
            body = "\n".join(
                "<p>" + " ".join(self._fill(rng, rng.choice(SENTENCES)) for _ in range(3)) + "</p>"
                for _ in range(rng.randint(2, 5))
            )
            batch.append(
                Article(
                    title=title[0].upper() + title[1:],
                    slug=f"{PREFIX}{n}",
                    kind=rng.choice(Article.Kind.values),
                    status=Article.Status.PUBLISHED if rng.random() < 0.95 else "draft",
                    published_at=now - timedelta(minutes=rng.randint(60, 60 * 24 * 365 * 12)),
                    lead=self._fill(rng, rng.choice(SENTENCES)),
                    body=body,
                    category=rng.choice(categories),
                    speaker=rng.choice(people) if rng.random() < 0.3 else None,
                    reporter="Phóng viên",
                )
            )
            if len(batch) == 2000:
                made += [article.pk for article in Article.objects.bulk_create(batch)]
                batch = []
        return made + [article.pk for article in Article.objects.bulk_create(batch)]

    def _links(self, rng, ids, tags):
        """Tags on most new articles (up to three) and a project or two on one in ten."""
        projects = list(
            Project.objects.filter(slug__startswith=PREFIX).values_list("pk", flat=True)
        )
        tag_links, project_links = [], []
        for article_id in ids:
            for tag in rng.sample(tags, rng.choice([0, 1, 1, 2, 2, 3])):
                tag_links.append(Article.tags.through(article_id=article_id, tag_id=tag.pk))
            if projects and rng.random() < 0.1:
                for project_id in rng.sample(projects, rng.choice([1, 1, 2])):
                    project_links.append(
                        Article.projects.through(article_id=article_id, project_id=project_id)
                    )
        Article.tags.through.objects.bulk_create(tag_links, batch_size=5000)
        Article.projects.through.objects.bulk_create(project_links, batch_size=5000)

    def _projects(self, rng, count, wards):
        start = Project.objects.filter(slug__startswith=PREFIX).count()
        batch = []
        for n in range(start, start + count):
            kind, template = rng.choice(PROJECT_NAMES)
            batch.append(
                Project(
                    name=self._fill(rng, template) + f" {n}",
                    slug=f"{PREFIX}{n}",
                    kind=kind,
                    status=rng.choice(Project.Status.values),
                    zone=rng.choice(Project.Zone.values),
                    ward=rng.choice(wards),
                    investor=f"Công ty cổ phần {rng.choice(BRANDS)}",
                    funding=rng.choice(Project.Funding.values),
                    investment_vnd=Decimal(rng.randint(5, 20000)) * 1_000_000_000,
                    area_ha=Decimal(rng.randint(5, 9000)) / 100,
                    households_relocated=rng.randint(0, 1500),
                    start_year=rng.randint(1995, 2025),
                    completion_year=rng.choice([None, rng.randint(2000, 2030)]),
                    summary=self._fill(rng, rng.choice(SENTENCES)),
                )
            )
        Project.objects.bulk_create(batch, batch_size=2000)
