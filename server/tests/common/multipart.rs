//! Posting an upload form as a browser without JavaScript does: multipart, accepting HTML.

use super::{Browser, Submitted, TestApp};
use reqwest::header;

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
        .post(app.url(&format!("/api/{function}")))
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .header(header::REFERER, app.url(from_page))
        .header(header::ORIGIN, &app.base)
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
