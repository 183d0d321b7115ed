"""Opening, keys, closing and the free functions — no server needed."""

import gc
import re
import weakref

import gocua_ffi as fk
import pytest

from helpers import household

UUID7 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$")


def test_generate_key_gives_32_fresh_random_bytes():
    a, b = fk.generate_key(), fk.generate_key()
    assert isinstance(a, bytes) and len(a) == 32 and len(b) == 32
    assert a != b


def test_opens_an_encrypted_profile_and_refuses_a_wrong_key(tmp_path):
    key = fk.generate_key()
    p = fk.FieldProfile.open(str(tmp_path), key)
    device_id = p.device_id()
    assert UUID7.match(device_id)
    p.close_profile()

    header = (tmp_path / "gocua-profile.db").read_bytes()[:16]
    assert header != b"SQLite format 3\x00", "the store must be encrypted"

    with pytest.raises(fk.FieldKitError.WrongKey) as wrong:
        fk.FieldProfile.open(str(tmp_path), fk.generate_key())
    assert wrong.value.message_vi and wrong.value.message_en
    with pytest.raises(fk.FieldKitError.WrongKey):
        fk.FieldProfile.open(str(tmp_path), b"short")

    again = fk.FieldProfile.open(str(tmp_path), key)
    assert again.device_id() == device_id
    again.close_profile()


def test_rekey_keeps_the_data_and_retires_the_old_key(tmp_path):
    old, new = fk.generate_key(), fk.generate_key()
    p = fk.FieldProfile.open(str(tmp_path), old)
    device_id = p.device_id()
    p.rekey(new)
    p.close_profile()
    with pytest.raises(fk.FieldKitError.WrongKey):
        fk.FieldProfile.open(str(tmp_path), old)
    q = fk.FieldProfile.open(str(tmp_path), new)
    assert q.device_id() == device_id
    q.close_profile()


def test_close_makes_calls_raise_closed(tmp_path):
    p = fk.FieldProfile.open(str(tmp_path), fk.generate_key())
    assert p.profile() is None
    p.close_profile()
    with pytest.raises(fk.FieldKitError.Closed) as closed:
        p.device_id()
    assert "closed" in closed.value.message_en
    with pytest.raises(fk.FieldKitError.Closed):
        p.queue_status()
    p.close_profile()  # closing twice is harmless


def test_dropping_the_last_reference_frees_the_object(tmp_path):
    key = fk.generate_key()
    p = fk.FieldProfile.open(str(tmp_path), key)
    device_id = p.device_id()
    ref = weakref.ref(p)
    del p  # uniffi's __del__ calls the Rust free function, which drops the store
    gc.collect()
    assert ref() is None
    q = fk.FieldProfile.open(str(tmp_path), key)
    assert q.device_id() == device_id
    q.close_profile()


def test_a_profile_that_is_not_enrolled_says_not_enrolled(tmp_path):
    p = fk.FieldProfile.open(str(tmp_path), fk.generate_key())
    with pytest.raises(fk.FieldKitError.NotEnrolled) as e:
        p.create_household(household("Nguyễn Văn Ả"))
    assert "đăng ký" in e.value.message_vi
    assert p.queue_status().pending == 0
    p.close_profile()


def test_choices_come_from_rust_with_labels():
    outcomes = fk.choices("visit_outcome")
    assert [c.code for c in outcomes] == ["met", "not_home", "refused", "moved_away", "other"]
    met = next(c for c in outcomes if c.code == "met")
    assert (met.label_vi, met.label_en) == ("Gặp được hộ", "Met the household")
    assert {"toan_trinh", "mot_phan"} <= {c.code for c in fk.choices("level_42")}
    assert fk.choices("no_such_vocabulary") == []


def test_decide_sync_follows_the_platform_facts():
    offline = fk.decide_sync(fk.NetworkFacts(connected=False, unmetered=False, battery_percent=80, charging=False,
                                             power_saver=False), "periodic", False)
    assert not offline.sync_now and offline.reason_code == "offline" and offline.message_vi
    mobile = fk.NetworkFacts(connected=True, unmetered=False, battery_percent=80, charging=False, power_saver=False)
    waiting = fk.decide_sync(mobile, "periodic", True)
    assert not waiting.sync_now and waiting.reason_code == "metered"
    assert fk.decide_sync(mobile, "user_forced", True).sync_now
