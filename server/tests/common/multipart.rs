//! Upload forms posted as a browser without JavaScript posts them (multipart, accepting
//! HTML), for every upload's tests.

use super::{Browser, Submitted, TestApp};
use reqwest::{header, StatusCode};

/// Posts `fields` and the file `file` (`(field name, file name, bytes)`) to the server
/// function `function`, from the page `from_page`.
pub async fn post_file(
    app: &TestApp,
    client: &Browser,
    function: &str,
    from_page: &str,
    fields: &[(&str, &str)],
    file: (&str, &str, &[u8]),
) -> Submitted {
    post_file_at(&app.base, client, function, from_page, fields, file).await
}

/// [`post_file`] to the server at `base`.
pub async fn post_file_at(
    base: &str,
    client: &Browser,
    function: &str,
    from_page: &str,
    fields: &[(&str, &str)],
    file: (&str, &str, &[u8]),
) -> Submitted {
    let url = |path: &str| format!("{base}{path}");
    let boundary = "----cit-test-boundary-7MA4YWxk";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    let (name, filename, bytes) = file;
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: text/csv\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let response = client
        .post(url(&format!("/api/{function}")))
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .header(header::REFERER, url(from_page))
        .header(header::ORIGIN, base)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .expect("request");
    Submitted::from(response)
}

/// The draft id in an upload's redirect to its preview (`...?draft=<id>`), which must carry
/// no error.
pub fn draft_of(done: &Submitted) -> String {
    let location = done.location.clone().unwrap_or_default();
    assert_eq!(done.error, None, "{location}");
    location
        .split("draft=")
        .nth(1)
        .expect("a draft in the redirect")
        .to_owned()
}

/// A small valid PDF.
pub const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// Posts `fields` and, optionally, a `file` field (name, bytes) to `action` from the form on
/// `page`; returns the status and the Location header.
pub async fn post_form(
    app: &TestApp,
    b: &Browser,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> (StatusCode, Option<String>) {
    const BOUNDARY: &str = "----cit-upload-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
    }
    if let Some((filename, bytes)) = file {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    let response = b
        .post(app.url(action))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(header::ACCEPT, "text/html")
        .header(header::ORIGIN, &app.base)
        .header(header::REFERER, app.url(page))
        .body(body)
        .send()
        .await
        .unwrap();
    let location = response
        .headers()
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_owned());
    (response.status(), location)
}
