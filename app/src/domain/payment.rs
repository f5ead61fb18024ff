//! Payments: each registration owes the course fee; administrators record how it was settled.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PaymentStatus {
    Unpaid,
    Paid,
    Waived,
    Refunded,
}

impl PaymentStatus {
    pub const ALL: [PaymentStatus; 4] = [
        PaymentStatus::Unpaid,
        PaymentStatus::Paid,
        PaymentStatus::Waived,
        PaymentStatus::Refunded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::Unpaid => "unpaid",
            PaymentStatus::Paid => "paid",
            PaymentStatus::Waived => "waived",
            PaymentStatus::Refunded => "refunded",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PaymentStatus::Unpaid => "Unpaid",
            PaymentStatus::Paid => "Paid",
            PaymentStatus::Waived => "Waived",
            PaymentStatus::Refunded => "Refunded",
        }
    }

    /// Settled in a way that lets the person attend and sit the test.
    pub fn is_settled(self) -> bool {
        matches!(self, PaymentStatus::Paid | PaymentStatus::Waived)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PaymentMethod {
    CardByPhone,
    Check,
    PurchaseOrder,
    Invoice,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 4] = [
        PaymentMethod::CardByPhone,
        PaymentMethod::Check,
        PaymentMethod::PurchaseOrder,
        PaymentMethod::Invoice,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::CardByPhone => "card_by_phone",
            PaymentMethod::Check => "check",
            PaymentMethod::PurchaseOrder => "purchase_order",
            PaymentMethod::Invoice => "invoice",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PaymentMethod::CardByPhone => "Card by phone",
            PaymentMethod::Check => "Check",
            PaymentMethod::PurchaseOrder => "Purchase order",
            PaymentMethod::Invoice => "Invoice",
        }
    }
}

impl FromStr for PaymentStatus {
    type Err = super::catalog::UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| super::catalog::UnknownValue(s.to_owned()))
    }
}

impl FromStr for PaymentMethod {
    type Err = super::catalog::UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| super::catalog::UnknownValue(s.to_owned()))
    }
}

/// A payment record an administrator submits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRecord {
    pub status: PaymentStatus,
    pub method: Option<PaymentMethod>,
    pub reference: String,
}

/// Checks an administrator's payment entry; the error names the field.
pub fn parse_record(
    status: &str,
    method: &str,
    reference: &str,
) -> Result<PaymentRecord, (&'static str, &'static str)> {
    let status: PaymentStatus = status
        .parse()
        .map_err(|_| ("payment_status", "Choose unpaid, paid, waived or refunded."))?;
    let method = match method.trim() {
        "" => None,
        m => Some(
            m.parse::<PaymentMethod>()
                .map_err(|_| ("payment_method", "Choose how it was paid."))?,
        ),
    };
    let reference = reference.trim().to_owned();
    if reference.chars().count() > 200 {
        return Err((
            "payment_reference",
            "Keep the reference under 200 characters.",
        ));
    }
    if status == PaymentStatus::Paid && method.is_none() {
        return Err(("payment_method", "Say how it was paid."));
    }
    if matches!(
        method,
        Some(PaymentMethod::Check | PaymentMethod::PurchaseOrder)
    ) && reference.is_empty()
        && status == PaymentStatus::Paid
    {
        return Err((
            "payment_reference",
            "Enter the check or purchase-order number.",
        ));
    }
    Ok(PaymentRecord {
        status,
        method,
        reference,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paid_needs_a_method_and_checks_need_a_number() {
        assert_eq!(
            parse_record("paid", "", "").unwrap_err().0,
            "payment_method"
        );
        assert_eq!(
            parse_record("paid", "check", " ").unwrap_err().0,
            "payment_reference"
        );
        let ok = parse_record("paid", "check", " 1042 ").unwrap();
        assert_eq!(
            (ok.method, ok.reference.as_str()),
            (Some(PaymentMethod::Check), "1042")
        );
        assert!(parse_record("waived", "", "").is_ok());
        assert_eq!(
            parse_record("free", "", "").unwrap_err().0,
            "payment_status"
        );
    }

    #[test]
    fn only_paid_or_waived_is_settled() {
        assert!(PaymentStatus::Paid.is_settled() && PaymentStatus::Waived.is_settled());
        assert!(!PaymentStatus::Unpaid.is_settled() && !PaymentStatus::Refunded.is_settled());
    }
}
