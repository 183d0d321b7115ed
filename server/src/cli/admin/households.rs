//! `gocua admin erase-household`: a person's erasure request taken at the commune office,
//! honoured from a terminal exactly as from a phone or the dashboard (`domain::erasure`), and
//! written to the audit log under the name of whoever took the request.

use chrono::Utc;

use super::{invalid, parse_id, Failure};
use crate::db::Db;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::coordination::AdminError;
use crate::domain::erasure::{self, Erasure};

pub fn erase(db: &Db, id: String, by: String) -> Result<(), Failure> {
    let id = parse_id("hộ", "household", &id)?;
    let by = by.trim().to_owned();
    if by.is_empty() || by.chars().count() > 64 {
        return Err(invalid(
            "Hãy ghi người nhận yêu cầu xoá (--by, tối đa 64 ký tự).",
            "Name who took the erasure request (--by, at most 64 characters).",
        ));
    }
    let outcome = db.tx(|sql| -> Result<_, AdminError> {
        let Some(outcome) = erasure::erase_household(sql, id, Utc::now())? else {
            return Ok(None);
        };
        if let Erasure::Done { erased, .. } = &outcome {
            audit::record(
                sql,
                None,
                &by,
                &id.to_string(),
                &AuditEvent::HouseholdErased {
                    via: "cli".into(),
                    visits: erased.visits,
                    feedback: erased.feedback,
                },
            )?;
        }
        Ok(Some(outcome))
    })?;
    match outcome {
        None => Err(invalid(
            format!("Không có hộ nào mã {id}."),
            format!("There is no household {id}."),
        )),
        Some(Erasure::AlreadyErased { .. }) => {
            println!("Thông tin cá nhân của hộ {id} đã được xoá từ trước; đã xoá lại những gì gửi lên sau đó. / Household {id} was already erased; anything sent since was blanked too.");
            Ok(())
        }
        Some(Erasure::Done { erased, .. }) => {
            println!(
                "Đã xoá thông tin cá nhân của hộ {id}: họ tên, địa chỉ, điện thoại; ghi chú, GPS và mã hồ sơ của {} lượt đến; nội dung {} ý kiến. Hãy báo đội viên xoá hộ này trên điện thoại nữa. / Household {id} erased: name, address, phone; notes, GPS and dossier codes of {} visit(s); text of {} feedback item(s). Ask the volunteer to erase it on their phone too.",
                erased.visits, erased.feedback, erased.visits, erased.feedback
            );
            Ok(())
        }
    }
}
