//! Account settings, parsed from what the person typed: profile, shipping address, preferred
//! time zone. Parse, don't validate: the parsed types hold only acceptable values.

use super::{
    agency::{AgencyType, UnknownAgencyType},
    person::{required_text, FieldError},
};

/// Name and agency, as changed on the settings page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub name: String,
    pub agency: String,
    pub agency_type: AgencyType,
}

pub fn parse_profile(name: &str, agency: &str, agency_type: &str) -> Result<Profile, FieldError> {
    Ok(Profile {
        name: required_text("name", name, "your full name")?,
        agency: required_text("agency", agency, "the agency you work for")?,
        agency_type: agency_type
            .parse()
            .map_err(|e: UnknownAgencyType| FieldError::new("agency_type", e.to_string()))?,
    })
}

/// Where printed material (the best-practice guide for new coordinators) is shipped.
/// Either every required part is given, or none (no address on file).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShippingAddress {
    pub street: String,
    pub city: String,
    /// State or region; optional, since not every country has them.
    pub region: String,
    pub postal_code: String,
    pub country: String,
}

impl ShippingAddress {
    pub fn is_empty(&self) -> bool {
        self.street.is_empty()
            && self.city.is_empty()
            && self.region.is_empty()
            && self.postal_code.is_empty()
            && self.country.is_empty()
    }
}

/// What the shipping form submits, as typed.
#[derive(Debug, Clone, Default)]
pub struct ShippingInput {
    pub street: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub country: String,
}

pub fn parse_shipping(input: &ShippingInput) -> Result<ShippingAddress, FieldError> {
    let all = [
        &input.street,
        &input.city,
        &input.region,
        &input.postal_code,
        &input.country,
    ];
    if all.iter().all(|v| v.trim().is_empty()) {
        return Ok(ShippingAddress::default());
    }
    let region = match input.region.trim() {
        "" => String::new(),
        r => required_text("region", r, "the state or region")?,
    };
    Ok(ShippingAddress {
        street: required_text("street", &input.street, "the street address")?,
        city: required_text("city", &input.city, "the city")?,
        region,
        postal_code: required_text("postal_code", &input.postal_code, "the postal code")?,
        country: required_text("country", &input.country, "the country")?,
    })
}

/// The zones offered in the settings select; anything else is typed under "Other".
pub const COMMON_TIME_ZONES: [(&str, &str); 8] = [
    ("America/New_York", "Eastern Time (New York)"),
    ("America/Chicago", "Central Time (Chicago)"),
    ("America/Denver", "Mountain Time (Denver)"),
    (
        "America/Phoenix",
        "Mountain Time without daylight saving (Phoenix)",
    ),
    ("America/Los_Angeles", "Pacific Time (Los Angeles)"),
    ("America/Anchorage", "Alaska Time (Anchorage)"),
    ("Pacific/Honolulu", "Hawaii Time (Honolulu)"),
    ("America/Puerto_Rico", "Atlantic Time (Puerto Rico)"),
];

/// The select's value for "another zone, typed in the text field".
pub const OTHER_TIME_ZONE: &str = "other";

/// The preferred zone from the select and the "other" text: an IANA name, or empty for "no
/// preference". `known` says whether a name is in the time-zone database.
pub fn parse_time_zone(
    choice: &str,
    other: &str,
    known: impl Fn(&str) -> bool,
) -> Result<String, FieldError> {
    let name = match choice.trim() {
        "" => return Ok(String::new()),
        OTHER_TIME_ZONE => other.trim(),
        chosen => chosen,
    };
    let field = if choice.trim() == OTHER_TIME_ZONE {
        "time_zone_other"
    } else {
        "time_zone"
    };
    if name.is_empty() {
        return Err(FieldError::new(
            field,
            "Type a time zone name such as America/Denver.",
        ));
    }
    if !known(name) {
        return Err(FieldError::new(
            field,
            "This is not a time zone we know. Use a name such as America/Denver or Europe/London.",
        ));
    }
    Ok(name.to_owned())
}

/// The time-zone database's answer for [`parse_time_zone`].
#[cfg(feature = "ssr")]
pub fn is_known_time_zone(name: &str) -> bool {
    name.parse::<chrono_tz::Tz>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipping(
        street: &str,
        city: &str,
        region: &str,
        postal: &str,
        country: &str,
    ) -> ShippingInput {
        ShippingInput {
            street: street.into(),
            city: city.into(),
            region: region.into(),
            postal_code: postal.into(),
            country: country.into(),
        }
    }

    #[test]
    fn profile_names_the_field_at_fault() {
        assert!(parse_profile("Jane", "DPD", "law_enforcement").is_ok());
        assert_eq!(
            parse_profile(" ", "DPD", "law_enforcement")
                .unwrap_err()
                .field,
            "name"
        );
        assert_eq!(
            parse_profile("Jane", "", "law_enforcement")
                .unwrap_err()
                .field,
            "agency"
        );
        assert_eq!(
            parse_profile("Jane", "DPD", "fire").unwrap_err().field,
            "agency_type"
        );
    }

    #[test]
    fn shipping_is_all_or_nothing_with_an_optional_region() {
        assert!(parse_shipping(&shipping("", " ", "", "", ""))
            .unwrap()
            .is_empty());
        let a = parse_shipping(&shipping("1 Main St", "Denver", "CO", "80202", "USA")).unwrap();
        assert_eq!(a.city, "Denver");
        assert!(parse_shipping(&shipping("1 High St", "Oxford", "", "OX1", "UK")).is_ok());
        assert_eq!(
            parse_shipping(&shipping("1 Main St", "", "CO", "80202", "USA"))
                .unwrap_err()
                .field,
            "city"
        );
        assert_eq!(
            parse_shipping(&shipping("1 Main St", "Denver", "CO", "", "USA"))
                .unwrap_err()
                .field,
            "postal_code"
        );
    }

    #[test]
    fn time_zones_come_from_the_select_or_the_other_field() {
        let known = |n: &str| n.contains('/');
        assert_eq!(parse_time_zone("", "x", known).unwrap(), "");
        assert_eq!(
            parse_time_zone("America/Denver", "", known).unwrap(),
            "America/Denver"
        );
        assert_eq!(
            parse_time_zone("other", " Europe/London ", known).unwrap(),
            "Europe/London"
        );
        assert_eq!(
            parse_time_zone("other", "", known).unwrap_err().field,
            "time_zone_other"
        );
        assert_eq!(
            parse_time_zone("other", "Mars", known).unwrap_err().field,
            "time_zone_other"
        );
        assert_eq!(
            parse_time_zone("Nowhere", "", known).unwrap_err().field,
            "time_zone"
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_common_zones_are_in_the_database() {
        for (name, _) in COMMON_TIME_ZONES {
            assert!(is_known_time_zone(name), "{name}");
        }
        assert!(!is_known_time_zone("America/Gotham"));
    }
}
