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

/// The money document a registration's payment status gives, so that it says the truth: only
/// a fee still owed gets an invoice with payment instructions; a waived fee gets a
/// confirmation that nothing is owed, never an invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PaymentDocument {
    /// Unpaid: the fee, and how to pay it.
    Invoice,
    /// Paid: what was received.
    Receipt,
    /// Waived: the fee, waived; nothing due.
    FeeWaived,
    /// Refunded: the fee was paid back; nothing due.
    Refund,
}

impl PaymentDocument {
    pub fn for_status(status: PaymentStatus) -> Self {
        match status {
            PaymentStatus::Unpaid => PaymentDocument::Invoice,
            PaymentStatus::Paid => PaymentDocument::Receipt,
            PaymentStatus::Waived => PaymentDocument::FeeWaived,
            PaymentStatus::Refunded => PaymentDocument::Refund,
        }
    }

    /// Its title, heading and the name of the link to it.
    pub fn title(self) -> &'static str {
        match self {
            PaymentDocument::Invoice => "Invoice",
            PaymentDocument::Receipt => "Receipt",
            PaymentDocument::FeeWaived => "Fee waived",
            PaymentDocument::Refund => "Refund",
        }
    }

    /// Only an invoice asks for a payment.
    pub fn asks_for_payment(self) -> bool {
        self == PaymentDocument::Invoice
    }

    /// What is still owed of a fee of `fee_cents`.
    pub fn due_cents(self, fee_cents: i64) -> i64 {
        if self.asks_for_payment() {
            fee_cents
        } else {
            0
        }
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
    fn only_a_fee_still_owed_gets_an_invoice() {
        use PaymentDocument::*;
        let documents: Vec<_> = PaymentStatus::ALL
            .into_iter()
            .map(PaymentDocument::for_status)
            .collect();
        assert_eq!(documents, vec![Invoice, Receipt, FeeWaived, Refund]);
        assert_eq!(FeeWaived.title(), "Fee waived");
        for document in documents {
            let invoice = document == Invoice;
            assert_eq!(document.asks_for_payment(), invoice, "{document:?}");
            assert_eq!(
                document.due_cents(45_000),
                if invoice { 45_000 } else { 0 },
                "{document:?}"
            );
            assert_eq!(document.title().contains("Invoice"), invoice);
        }
    }

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
