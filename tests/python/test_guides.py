"""Service guides through the bindings: written with `gocua admin set-guide` on a real `gocua
serve`, pulled by a real sync, read by service key as ready-to-draw rows — and read again with the
server stopped and the profile reopened (offline)."""


import gocua_ffi as fk
import pytest

from gocua_server import GoCuaServer
from helpers import EN, VI, run

GUIDE = """# Đăng ký khai sinh

Mang **giấy chứng sinh** và *thẻ căn cước* của cha hoặc mẹ.

1. Mở ứng dụng **VNeID**
2. Chọn thủ tục:
   - Liên thông khai sinh

Xem [Cổng](https://dichvucong.gov.vn) <script>x</script>
"""


@pytest.fixture
def own_server():
    """A server of this test's own: the test stops it."""
    s = GoCuaServer().start()
    yield s
    s.stop()


def test_a_guide_pulled_by_sync_is_read_offline(own_server, tmp_path):
    s = own_server
    s.admin("set-guide", "--service", "birth_registration", "--file", s._file("guide.md", GUIDE))
    key = fk.generate_key()
    p = fk.FieldProfile.open(str(tmp_path / "phone"), key)
    run(p.enrol(s.url, s.enrol_code("Trần Thị Hướng"), "pytest phone", "0.1.0-test"))

    assert p.guide_service_keys() == ["birth_registration"]
    assert p.has_guide("birth_registration") and not p.has_guide("marriage_registration")
    assert p.service_guide("marriage_registration", VI) is None
    g = p.service_guide("birth_registration", VI)
    assert g.needs_check and g.needs_check_label == "Nội dung mẫu — cần cán bộ kiểm tra trước khi dùng"
    assert g.updated_label.startswith("cập nhật ") and g.updated_label[-5] == "/"
    kinds = [(b.kind, b.level, b.marker) for b in g.blocks]
    assert kinds == [
        (fk.GuideBlockKind.HEADING, 1, ""),
        (fk.GuideBlockKind.PARAGRAPH, 0, ""),
        (fk.GuideBlockKind.LIST_ITEM, 0, "1."),
        (fk.GuideBlockKind.LIST_ITEM, 0, "2."),
        (fk.GuideBlockKind.LIST_ITEM, 1, "•"),
        (fk.GuideBlockKind.PARAGRAPH, 0, ""),
    ], kinds
    bold = [r.text for r in g.blocks[1].runs if r.bold]
    assert bold == ["giấy chứng sinh"]
    last = g.blocks[-1].runs
    assert [r.link for r in last if r.link] == ["https://dichvucong.gov.vn"]
    assert "<script>x</script>" in "".join(r.text for r in last), "raw HTML stays text"
    en = p.service_guide("birth_registration", EN)
    assert en.title and en.needs_check_label.startswith("Starter content")
    assert en.updated_label.startswith("updated ")

    # The coordinator checks it; the next sync brings the change.
    s.admin("set-guide", "--service", "birth_registration", "--file", s._file("guide.md", GUIDE), "--checked")
    run(p.sync())
    checked = p.service_guide("birth_registration", VI)
    assert not checked.needs_check and checked.needs_check_label == ""

    # The server stops: the guide is still there, also after the app restarts.
    s.stop()
    with pytest.raises(fk.FieldKitError):
        run(p.sync(max_attempts=1))
    assert p.service_guide("birth_registration", VI).blocks == checked.blocks
    p.close_profile()
    again = fk.FieldProfile.open(str(tmp_path / "phone"), key)
    assert again.guide_service_keys() == ["birth_registration"]
    assert again.service_guide("birth_registration", VI).blocks[0].runs[0].text == "Đăng ký khai sinh"
    again.close_profile()


def test_guide_rows_come_from_the_core():
    rows = fk.guide_blocks("## Bước\n\n3. Một\n4. Hai")
    assert [(r.kind, r.marker) for r in rows] == [
        (fk.GuideBlockKind.HEADING, ""),
        (fk.GuideBlockKind.LIST_ITEM, "3."),
        (fk.GuideBlockKind.LIST_ITEM, "4."),
    ]
    assert fk.guide_needs_check_label(VI).startswith("Nội dung mẫu")
