//! Nothing typed is lost (issue 11): a form posted after its session has ended keeps its typed
//! text on the server, when the post carries that ended session's CSRF token (so no other site
//! can plant text), and the user is sent to sign in again, told why. Once the same account is
//! signed in and opens the page the form was on, its fields are filled in again and the kept
//! text is deleted; it is never replayed as an action, files are never kept, and what is not
//! given back within a day is deleted by the sweep.

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{CONTENT_TYPE, LOCATION, REFERER};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::auth;

/// The cookie naming the kept form to give back.
pub const COOKIE: &str = "danvan_kept";
/// How long a kept form waits for its owner.
pub const MAX_AGE_SECONDS: i64 = 86_400;
/// How long an ended session's record stays (unusable: every request checks its expiry) so that
/// a form posted with it, after a long pause, can still be recognised as its user's.
pub const ENDED_SESSION_GRACE_SECONDS: i64 = 12 * 3600;
/// The most typed text kept from one form.
const MAX_TEXT_BYTES: usize = 2 << 20;
/// The most bytes of a multipart post read to find its text (files pass through unkept).
const MAX_MULTIPART_BYTES: u64 = 64 << 20;

/// A session that ended by expiry, as its cookie named it.
#[derive(Debug, Clone)]
pub struct Ended {
    pub account_id: i64,
    pub csrf_token: String,
}

/// Fields never kept: secrets and the token itself.
fn kept_field(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    !(lower == "csrf" || lower.contains("password") || lower.contains("mat_khau") || lower.contains("secret"))
}

/// Forms never kept: the account's own (passwords, second factor, confirmations).
fn kept_path(path: &str) -> bool {
    !(path.starts_with("/account/") || path == "/login" || path == "/logout")
}

/// The page the form was on, from the Referer when it is of this site.
fn return_to(request: &Request) -> String {
    let host = request
        .headers()
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let referer = request
        .headers()
        .get(REFERER)
        .and_then(|r| r.to_str().ok())
        .unwrap_or("");
    let path = ["http://", "https://"]
        .iter()
        .find_map(|scheme| referer.strip_prefix(scheme)?.strip_prefix(host))
        .filter(|_| !host.is_empty())
        .unwrap_or("/");
    auth::safe_next(path).to_owned()
}

/// Answers a post whose session has ended: keeps its typed text when the post carries the ended
/// session's token, and sends the user to sign in again, back to the form's page.
pub async fn answer_expired_post(state: &AppState, request: Request, ended: &Ended) -> Response {
    let back = return_to(&request);
    let keepable = kept_path(request.uri().path());
    let content_type = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let query_csrf = request.uri().query().and_then(|q| {
        form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v.into_owned())
    });
    let fields = if !keepable {
        None
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        match axum::body::to_bytes(request.into_body(), MAX_TEXT_BYTES).await {
            Ok(bytes) => Some(form_urlencoded::parse(&bytes).into_owned().collect::<Vec<_>>()),
            Err(_) => None,
        }
    } else if content_type.starts_with("multipart/form-data") {
        multipart_text(&content_type, request.into_body()).await
    } else {
        None
    };
    let mut kept = None;
    if let Some(fields) = fields {
        let sent = fields
            .iter()
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v.clone())
            .or(query_csrf);
        let fields: Vec<(String, String)> = fields
            .into_iter()
            .filter(|(k, v)| kept_field(k) && !v.trim().is_empty())
            .collect();
        if sent.is_some_and(|sent| auth::constant_time_eq(&sent, &ended.csrf_token)) && !fields.is_empty() {
            match state
                .store
                .keep_form(ended.account_id, &back, &fields, state.clock.now_unix())
                .await
            {
                Ok(id) => kept = Some(id),
                Err(error) => tracing::error!(%error, "could not keep a form posted after its session ended"),
            }
        }
    }
    let next: String = form_urlencoded::byte_serialize(back.as_bytes()).collect();
    let location = match kept {
        Some(_) => format!("/login?next={next}&kept=1"),
        None => format!("/login?next={next}&expired=1"),
    };
    let mut response = (StatusCode::SEE_OTHER, [(LOCATION, location)]).into_response();
    if let Some(id) = kept {
        let (name, value) = auth::set_cookie(&state.config, COOKIE, Some(&id.to_string()));
        response.headers_mut().append(name, value);
        tracing::info!(
            account = ended.account_id,
            kept_form = id,
            "typed text kept after the session ended"
        );
    }
    response
}

/// The text fields of a multipart body (files skipped), within bounds.
async fn multipart_text(content_type: &str, body: Body) -> Option<Vec<(String, String)>> {
    let boundary = multer::parse_boundary(content_type).ok()?;
    let constraints = multer::Constraints::new().size_limit(
        multer::SizeLimit::new()
            .whole_stream(MAX_MULTIPART_BYTES)
            .per_field(MAX_MULTIPART_BYTES),
    );
    let mut multipart = multer::Multipart::with_constraints(body.into_data_stream(), boundary, constraints);
    let mut fields = Vec::new();
    let mut total = 0usize;
    while let Ok(Some(field)) = multipart.next_field().await {
        let name = field.name().unwrap_or("").to_owned();
        if field.file_name().is_some() {
            // Read through and dropped: files are never kept.
            let _ = field.bytes().await;
            continue;
        }
        let Ok(text) = field.text().await else { break };
        total += text.len();
        if total > MAX_TEXT_BYTES {
            break;
        }
        fields.push((name, text));
    }
    Some(fields)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The value of attribute `name` in a start tag's text (as our templates write them).
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let end = tag[start..].find('"')? + start;
    Some(&tag[start..end])
}

/// The page's HTML with the kept fields filled into its form controls of the same names, and a
/// notice at the top of the page; fields no control took are listed in the notice, so that
/// nothing typed is lost even when the page has changed.
pub fn restore(html: &str, fields: &[(String, String)], kept_at: &str) -> String {
    let mut out = String::with_capacity(html.len() + 1024);
    let mut used = vec![false; fields.len()];
    let mut rest = html;
    // Each field fills the first control of its name not yet filled (repeated names fill
    // repeated controls in order).
    let take = |name: &str, used: &mut Vec<bool>| -> Option<usize> {
        let at = fields
            .iter()
            .enumerate()
            .position(|(i, (n, _))| n == name && !used[i])?;
        used[at] = true;
        Some(at)
    };
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let Some(end) = after.find('>') else {
            out.push_str(after);
            rest = "";
            break;
        };
        let tag = &after[..=end];
        rest = &after[end + 1..];
        let name = attribute(tag, "name");
        if tag.starts_with("<textarea")
            && let Some(close) = rest.find("</textarea>")
            && let Some(at) = name.and_then(|n| take(n, &mut used))
        {
            out.push_str(tag);
            out.push_str(&escape(&fields[at].1));
            rest = &rest[close..];
            continue;
        }
        if tag.starts_with("<input") {
            let kind = attribute(tag, "type").unwrap_or("text");
            if !matches!(
                kind,
                "hidden" | "password" | "file" | "submit" | "button" | "checkbox" | "radio"
            ) && let Some(at) = name.and_then(|n| take(n, &mut used))
            {
                let value = format!(" value=\"{}\"", escape(&fields[at].1));
                let tag = match attribute(tag, "value") {
                    Some(old) => tag.replacen(&format!(" value=\"{old}\""), &value, 1),
                    None => tag.replacen("<input", &format!("<input{value}"), 1),
                };
                out.push_str(&tag);
                continue;
            }
            // Only boxes of a kept name are changed; the kept form posted the checked ones.
            if matches!(kind, "checkbox" | "radio")
                && let Some(name) = name
                && fields.iter().any(|(n, _)| n == name)
            {
                let mine = attribute(tag, "value").unwrap_or("on");
                let chosen = fields.iter().position(|(n, v)| n == name && v == mine);
                let tag = tag.replace(" checked", "");
                match chosen {
                    Some(at) => {
                        used[at] = true;
                        out.push_str(&tag.replacen("<input", "<input checked", 1));
                    }
                    None => out.push_str(&tag),
                }
                continue;
            }
        }
        if tag.starts_with("<select")
            && let (Some(name), Some(close)) = (name, rest.find("</select>"))
            && let Some(at) = fields.iter().enumerate().position(|(i, (n, v))| {
                n == name && !used[i] && rest[..close].contains(&format!(" value=\"{}\"", escape(v)))
            })
        {
            used[at] = true;
            let options = rest[..close].replace(" selected", "");
            let chosen = format!(" value=\"{}\"", escape(&fields[at].1));
            out.push_str(tag);
            out.push_str(&options.replacen(&chosen, &format!("{chosen} selected"), 1));
            rest = &rest[close..];
            continue;
        }
        out.push_str(tag);
        if tag.starts_with("<main") {
            out.push_str(&notice(kept_at));
        }
    }
    out.push_str(rest);
    // The notice is written after the controls are known: put the list of what no control
    // took in place of the placeholder.
    let leftover: Vec<&(String, String)> = fields.iter().zip(&used).filter(|(_, u)| !**u).map(|(f, _)| f).collect();
    let list = if leftover.is_empty() {
        String::new()
    } else {
        let items: String = leftover
            .iter()
            .map(|(n, v)| format!("<dt>{}</dt><dd>{}</dd>", escape(n), escape(v)))
            .collect();
        format!("<p>Phần nội dung không còn ô tương ứng trên trang này:</p><dl>{items}</dl>")
    };
    out.replacen(LEFTOVER, &list, 1)
}

/// Where the list of fields no control took goes, once the page has been read.
const LEFTOVER: &str = "<!--danvan-kept-leftover-->";

fn notice(kept_at: &str) -> String {
    format!(
        "<div class=\"notice\" role=\"status\"><p>Phiên làm việc trước đã hết hạn. Nội dung bạn nhập lúc {kept_at} đã được điền lại vào biểu mẫu dưới đây: hãy kiểm tra rồi bấm lưu hoặc gửi; hệ thống chưa lưu gì. Tệp đính kèm cần chọn lại.</p>{LEFTOVER}</div>"
    )
}

/// The cookie's header clearing it.
pub fn clear_cookie(state: &AppState) -> (axum::http::HeaderName, HeaderValue) {
    auth::set_cookie(&state.config, COOKIE, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_fields_fill_the_form_and_what_has_no_place_is_listed() {
        let html = r#"<html><main id="content"><input type="checkbox" name="other" value="1" checked><form method="post"><input type="hidden" name="csrf" value="t"><input type="text" name="title" value="cũ"><textarea name="content">cũ</textarea><select name="kind"><option value="a" selected>A</option><option value="b">B</option></select><input type="checkbox" name="public" value="1"></form></main></html>"#;
        let fields = vec![
            ("title".to_owned(), "Báo cáo \"quý\" <IV>".to_owned()),
            ("content".to_owned(), "Nội dung dài\nđã gõ".to_owned()),
            ("kind".to_owned(), "b".to_owned()),
            ("public".to_owned(), "1".to_owned()),
            ("gone".to_owned(), "một ô đã bỏ".to_owned()),
        ];
        let page = restore(html, &fields, "10:05 15/12/2022");
        assert!(
            page.contains(r#"<input type="text" name="title" value="Báo cáo &quot;quý&quot; &lt;IV&gt;">"#),
            "{page}"
        );
        assert!(
            page.contains("<textarea name=\"content\">Nội dung dài\nđã gõ</textarea>"),
            "{page}"
        );
        assert!(
            page.contains(r#"<option value="a">A</option><option value="b" selected>B</option>"#),
            "{page}"
        );
        assert!(
            page.contains(r#"<input checked type="checkbox" name="public" value="1">"#),
            "{page}"
        );
        assert!(
            page.contains(r#"name="csrf" value="t""#),
            "the token is the new session's"
        );
        assert!(page.contains("Phiên làm việc trước đã hết hạn") && page.contains("10:05 15/12/2022"));
        assert!(page.contains("<dt>gone</dt><dd>một ô đã bỏ</dd>"), "{page}");
        assert!(!page.contains("danvan-kept-leftover"));
        assert!(
            page.contains(r#"<input type="checkbox" name="other" value="1" checked>"#),
            "other boxes untouched"
        );
    }

    #[test]
    fn secrets_and_the_token_are_never_kept() {
        assert!(!kept_field("csrf") && !kept_field("password") && !kept_field("new_password"));
        assert!(!kept_field("totp_secret"));
        assert!(kept_field("content") && kept_field("code") && kept_field("note_criterion:1.1"));
        assert!(!kept_path("/account/totp") && !kept_path("/account/password") && kept_path("/units"));
    }
}
