//! What a simulated phone is told before it goes out: its enrolment code and where its team
//! works. The server's demo builds these from the organisation it sets up.

/// A commune or a hamlet the phone's team works in.
#[derive(Debug, Clone)]
pub struct Place {
    /// Area code (a hamlet's as imported by the coordinator).
    pub code: String,
    pub name: String,
    /// The commune the place is in (a commune's own code for a commune).
    pub commune_code: String,
    /// In a ward (phường): addresses are on streets rather than in residents' groups.
    pub ward: bool,
}

/// One phone's assignment.
#[derive(Debug, Clone)]
pub struct PhonePlan {
    /// 1, 2, …: names the phone in messages and its store file.
    pub index: usize,
    /// The device label it enrols with ("Samsung Galaxy A05 – Nguyễn Thị Ngọc Hân").
    pub label: String,
    /// A one-time enrolment code for its volunteer.
    pub code: String,
    pub team: String,
    pub communes: Vec<Place>,
    /// Where it visits households (at least one).
    pub hamlets: Vec<Place>,
    /// How many visits it records.
    pub visits: usize,
    /// Seed of its field work: the same seed records the same households, visits, sessions and
    /// feedback.
    pub seed: u64,
}
