//! The kind of agency a person works for. It matters for eligibility (the 911 course is for
//! emergency call-center staff) and for the organisation's reports.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AgencyType {
    LawEnforcement,
    EmergencyCommunications,
    MentalHealth,
    Other,
}

impl AgencyType {
    pub const ALL: [AgencyType; 4] = [
        AgencyType::LawEnforcement,
        AgencyType::EmergencyCommunications,
        AgencyType::MentalHealth,
        AgencyType::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AgencyType::LawEnforcement => "law_enforcement",
            AgencyType::EmergencyCommunications => "emergency_communications",
            AgencyType::MentalHealth => "mental_health",
            AgencyType::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AgencyType::LawEnforcement => "Law enforcement",
            AgencyType::EmergencyCommunications => "Emergency communications (911)",
            AgencyType::MentalHealth => "Mental health",
            AgencyType::Other => "Other",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Choose the kind of agency you work for.")]
pub struct UnknownAgencyType;

impl FromStr for AgencyType {
    type Err = UnknownAgencyType;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AgencyType::ALL
            .into_iter()
            .find(|t| t.as_str() == s.trim())
            .ok_or(UnknownAgencyType)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_unknown() {
        for t in AgencyType::ALL {
            assert_eq!(t.as_str().parse::<AgencyType>(), Ok(t));
        }
        assert_eq!("".parse::<AgencyType>(), Err(UnknownAgencyType));
        assert_eq!("fire".parse::<AgencyType>(), Err(UnknownAgencyType));
    }
}
