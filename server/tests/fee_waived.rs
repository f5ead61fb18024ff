//! Money documents say the truth (issue 21, defect 9), on both databases: a registration whose
//! fee is waived gets a "Fee waived" confirmation (nothing due, no payment instructions, no
//! invoice), from its page and from the dashboard's link; an unpaid one still gets its invoice.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod common;

use common::TestApp;
use reqwest::StatusCode;

on_both_databases!(a_waived_fee_gets_a_fee_waived_confirmation_not_an_invoice);

async fn a_waived_fee_gets_a_fee_waived_confirmation_not_an_invoice(app: &TestApp) {
    let offering = app.first_offering("CITC").await;
    let pat = app.sign_up("Pat Doe", "pat@denver.gov").await;
    let registration = app.register(&pat, "pat@denver.gov", offering).await;
    let document = format!("/registrations/{registration}/invoice");

    // Unpaid: an invoice for the fee, with how to pay it.
    let (status, _, page) = app.get(&pat, &document).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("<h1>Invoice</h1>") && page.contains("Pay by card"),
        "{page}"
    );

    app.create_user("chief@cit.org", "admin").await;
    let admin = app.sign_in("chief@cit.org", common::PASSWORD).await.0;
    let done = app
        .submit(
            &admin,
            &format!("/admin/offerings/{offering}"),
            "record_payment",
            &[
                ("registration_id", &registration.to_string()),
                ("payment_status", "waived"),
                ("payment_method", ""),
                ("payment_reference", ""),
            ],
        )
        .await;
    assert_eq!(done.error, None);

    // Waived: the fee, waived, nothing due; no invoice, no payment instructions.
    let (status, _, page) = app.get(&pat, &document).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<title>Fee waived CIT-"), "{page}");
    assert!(page.contains("<h1>Fee waived</h1>"), "{page}");
    assert!(
        page.contains("<td>$450</td>") && page.contains("<td>−$450</td>"),
        "{page}"
    );
    assert!(
        page.contains("Amount due") && page.contains("<strong>$0</strong>"),
        "{page}"
    );
    assert!(page.contains("Nothing is owed"), "{page}");
    assert!(!page.contains("Invoice"), "no invoice wording: {page}");
    assert!(
        !page.contains("Pay by card"),
        "no payment instructions: {page}"
    );
    assert!(
        !page.contains("Billed to") && !page.contains("received"),
        "{page}"
    );

    // The dashboard links to it by what it is.
    let (_, _, dashboard) = app.get(&pat, "/dashboard").await;
    assert!(
        dashboard.contains(&format!("href=\"{document}\">Fee waived</a>")),
        "{dashboard}"
    );
    assert!(!dashboard.contains(">Invoice</a>"), "{dashboard}");
}
