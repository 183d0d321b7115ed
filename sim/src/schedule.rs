//! When the simulated visits happen: in working hours of the deployment's calendar, over the last
//! four days, all before now.

use chrono::{DateTime, Duration, NaiveTime, Utc};
use gocua_core::protocol::calendar::Calendar;
use rand::Rng;

/// `n` visit start times over the last four days, in working hours (7:30–11:30 and 13:30–17:30 in
/// `calendar`'s zone), oldest first, all before `now`.
///
/// The draws do not depend on the hour: a slot not yet past today moves to the day before instead
/// of being drawn again, so everything a seed makes is the same whenever it runs.
pub fn visit_times<R: Rng + ?Sized>(
    rng: &mut R,
    n: usize,
    now: DateTime<Utc>,
    calendar: Calendar,
) -> Vec<DateTime<Utc>> {
    let today = calendar.day_of(now);
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let day = today - Duration::days(rng.random_range(0..4));
        let minutes = if rng.random_bool(0.55) {
            rng.random_range(450..690)
        } else {
            rng.random_range(810..1050)
        };
        let local = day.and_time(NaiveTime::MIN) + Duration::minutes(minutes);
        let utc = calendar.start_of(day) + (local - day.and_time(NaiveTime::MIN));
        out.push(if utc < now - Duration::minutes(20) {
            utc
        } else {
            utc - Duration::days(1)
        });
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    #[test]
    fn visit_times_are_past_working_hours() {
        let calendar = Calendar::VIETNAM;
        let mut rng = StdRng::seed_from_u64(7);
        let now = Utc::now();
        let times = visit_times(&mut rng, 200, now, calendar);
        assert!(times.windows(2).all(|w| w[0] <= w[1]));
        for t in times {
            assert!(t < now && t > now - Duration::days(5));
            let local = calendar.local_time(t).time();
            assert!(
                local >= NaiveTime::from_hms_opt(7, 30, 0).unwrap()
                    && local < NaiveTime::from_hms_opt(17, 30, 0).unwrap()
            );
        }
    }

    #[test]
    fn a_seed_draws_the_same_at_any_hour() {
        // Just after midnight nothing of today has happened yet; in the evening all of it has.
        let calendar = Calendar::VIETNAM;
        let midnight = calendar.start_of(calendar.day_of(Utc::now()));
        let times_at = |now: DateTime<Utc>| {
            let mut rng = StdRng::seed_from_u64(2094);
            let times = visit_times(&mut rng, 120, now, calendar);
            (times, rng.random::<u64>())
        };
        let (early, next_early) = times_at(midnight + Duration::minutes(5));
        let (late, next_late) = times_at(midnight + Duration::hours(23));
        assert_eq!(next_early, next_late, "the same draws whatever the hour");
        assert_eq!(early.len(), late.len());
        assert!(early.iter().all(|t| *t < midnight));
    }
}
