//! Eight phones of one team pushing at the same moment, against the real `gocua serve`: every
//! push is answered `200` the first time (no `503` from a deadlock or a duplicate key in the
//! team's rollup, no retry by the phone), the server holds each record exactly once, and the
//! team's rollup — kept by increments, push by push — equals a full recount.

use std::sync::Barrier;

use gocua_core::protocol::*;
use gocua_e2e::inspect::assert_server_holds_exactly;
use gocua_e2e::seed::*;
use gocua_e2e::*;
use gocua_server::db::{DbError, Sql};
use gocua_server::domain::{coordination, progress, refdata, rollup};
use gocua_server::params;

on_both_backends!(eight_phones_of_one_team_push_at_once);

const PHONES: usize = 8;
/// Records per push: each phone's field day (19 records) takes 7 pushes.
const BATCH: usize = 3;

fn eight_phones_of_one_team_push_at_once(backend: Backend) {
    let env = Env::start_binary(backend);
    // Team A has four members; four more, so that each of the eight phones is someone's.
    let team = env
        .db
        .tx(|sql: &mut dyn Sql| {
            for name in [
                "Đặng Văn Hùng",
                "Bùi Thị Lan",
                "Hồ Minh Quân",
                "Trương Thị Yến",
            ] {
                coordination::add_member(sql, env.seed.team_a.id, None, name, false)?;
            }
            Ok::<_, coordination::AdminError>(refdata::load_team(sql, env.seed.team_a.id)?)
        })
        .unwrap()
        .expect("team A");
    assert!(team.members.len() >= PHONES);
    let phones: Vec<Device> = (0..PHONES).map(|i| env.enrol(&team, i)).collect();

    // Offline, each phone records a field day; they share communes and hamlets, so the pushes
    // reach the same rollup rows (the same day, the same hamlets).
    let places = [
        (COMMUNE_A1, Some(HAMLET_A1_KP1)),
        (COMMUNE_A1, Some(HAMLET_A1_KP2)),
        (COMMUNE_A2, Some(HAMLET_A2_KP3)),
        (COMMUNE_A1, None),
    ];
    let mut expected = Recorded::default();
    for (i, phone) in phones.iter().enumerate() {
        let (commune, hamlet) = places[i % places.len()];
        expected.extend(phone.record_field_day(commune, hamlet, 8));
    }

    // All at once: each phone syncs its queue in pushes of BATCH records, one pass, no retry.
    let start = Barrier::new(PHONES);
    let reports: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = phones
            .iter()
            .map(|phone| {
                let start = &start;
                s.spawn(move || {
                    let queued = phone.store.queue_status().expect("queue").pending;
                    start.wait();
                    (queued, phone.sync_via(&phone.transport, BATCH))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (i, (queued, report)) in reports.into_iter().enumerate() {
        let report = report.unwrap_or_else(|e| panic!("phone {i}: a push failed: {e:?}"));
        assert_eq!(
            (report.sent, report.accepted, report.rejected),
            (queued, queued, 0),
            "phone {i}: every record accepted in its first push"
        );
        phones[i].assert_all_accepted(queued);
    }

    // Each record once.
    assert_server_holds_exactly(&env.db, &expected);

    // The rollup kept push by push is the recount's, and sums to the live tally.
    env.db
        .tx(|sql: &mut dyn Sql| {
            let inputs = rollup::RollupInputs::load(sql)?;
            let kept = rollup_rows(sql, team.id)?;
            let mut counted = Tally::default();
            for campaign in &inputs.campaigns {
                let live = progress::team_tally(
                    sql,
                    team.id,
                    campaign.starts_on,
                    campaign.ends_on,
                    &inputs.services,
                    &inputs.tree,
                )?;
                let days = sum(sql, "rollup_days", team.id, campaign.id)?;
                let total = sum(sql, "rollup_totals", team.id, campaign.id)?;
                assert_eq!(days, live, "rollup_days of {}", campaign.name);
                assert_eq!(total, live, "rollup_totals of {}", campaign.name);
                counted = counted.plus(&live);
            }
            // The seed's campaign runs from 30 days before the seeding to 60 after: it counts
            // these visits, whatever the date.
            assert!(counted.visits > 0, "the campaign counted the visits");
            rollup::refresh_team(
                sql,
                team.id,
                &inputs.campaigns,
                &inputs.services,
                &inputs.tree,
            )?;
            assert_eq!(
                kept,
                rollup_rows(sql, team.id)?,
                "the rollup kept by increments equals a recount"
            );
            Ok::<_, DbError>(())
        })
        .unwrap();
}

/// The team's rollup rows, as text, in a fixed order.
fn rollup_rows(sql: &mut dyn Sql, team: uuid::Uuid) -> Result<Vec<String>, DbError> {
    let mut out = Vec::new();
    for (table, columns, order) in [
        ("rollup_days", "campaign_id, day", "campaign_id, day"),
        ("rollup_totals", "campaign_id", "campaign_id"),
        (
            "rollup_households",
            "campaign_id, household_id, day",
            "campaign_id, household_id",
        ),
        (
            "rollup_hamlets",
            "campaign_id, hamlet_code, day",
            "campaign_id, hamlet_code",
        ),
    ] {
        let with_counts = if table.ends_with("days") || table.ends_with("totals") {
            format!("{columns}, {}", rollup::COLUMNS)
        } else {
            columns.to_owned()
        };
        for row in sql.query(
            &format!("SELECT {with_counts} FROM {table} WHERE team_id = ? ORDER BY {order}"),
            params![team],
        )? {
            out.push(format!("{table} {:?}", row.0));
        }
    }
    Ok(out)
}

fn sum(
    sql: &mut dyn Sql,
    table: &str,
    team: uuid::Uuid,
    campaign: uuid::Uuid,
) -> Result<Tally, DbError> {
    Ok(sql
        .query(
            &format!(
                "SELECT {} FROM {table} WHERE team_id = ? AND campaign_id = ?",
                rollup::SUMS
            ),
            params![team, campaign],
        )?
        .first()
        .map(|r| rollup::tally_from_row(r, 0))
        .unwrap_or_default())
}
