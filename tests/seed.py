"""The seed article's address, as the fixture ships it (fixtures/lechan.json)."""

SEED_SLUG = "doi-moi-phuong-thuc-lanh-dao-chi-dao-cua-cap-uy-dang-trong-khai-thac-cac-nguon-luc"
SEED_ARTICLE = f"/tin-tuc/{SEED_SLUG}/"
