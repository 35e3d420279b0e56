//! No page shows a link or a form its viewer may not use (issue 11): every demo role walks the
//! demo from its home page, following every link of this site (a breadth-first walk, each path
//! once, downloads and sign-out left aside), and every page answers; no link answers 403, and
//! every form's action is a route whose rule admits the viewer's role (checked against the
//! route table). Then each form found is posted once as the page would post it with nothing
//! typed (its token only, as a form or multipart as the page says): the answer may refuse the
//! empty input or the record's state (400, 409, 422) but never the viewer (403) and never fail
//! (5xx), which checks the rule on the record itself. A refused step changes nothing, so the
//! empty posts leave the demo as it was; the account's own forms (password, second factor,
//! sessions, sign-out) are left aside.

mod common;

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use common::{Browser, route_of, start_demo};
use danvan_domain::Role;

/// The `href`s and form actions of a page, with the forms' methods and whether they are
/// multipart.
fn targets(body: &str) -> (Vec<String>, Vec<(String, String, bool)>) {
    let attribute = |tag: &str, name: &str| -> Option<String> {
        let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
        Some(
            tag[start..start + tag[start..].find('"')?]
                .replace("&#38;", "&")
                .replace("&amp;", "&"),
        )
    };
    let links = body
        .split("<a ")
        .skip(1)
        .filter_map(|tag| attribute(&tag[..tag.find('>').unwrap_or(tag.len())], "href"))
        .collect();
    let forms = body
        .split("<form ")
        .skip(1)
        .filter_map(|tag| {
            let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
            let method = attribute(tag, "method")
                .unwrap_or_else(|| "get".into())
                .to_ascii_uppercase();
            let multipart = attribute(tag, "enctype").is_some_and(|e| e.starts_with("multipart/"));
            Some((method, attribute(tag, "action")?, multipart))
        })
        .collect();
    (links, forms)
}

#[test]
fn every_role_follows_only_links_and_forms_it_may_use() {
    let data = tempfile::tempdir().unwrap();
    let demo = start_demo(data.path());
    let officer = danvan::demo::UNITS_2022.iter().find_map(|u| u.officer).unwrap();
    // The admin walks last: among its forms, an empty post signs an account out everywhere,
    // which would end a walk in progress.
    let logins = [
        ("sonoivu", Role::Monitor),
        ("lanhdao", Role::Leader),
        ("hoidong", Role::Appraiser),
        (officer, Role::Officer),
        ("admin", Role::Admin),
    ];
    let mut problems = Vec::new();
    for (username, role) in logins {
        let mut browser = Browser::default();
        browser.sign_in(&demo.url, username);
        let mut seen = BTreeSet::new();
        // Each form's action once, with the page it was found on and the session's token.
        let mut posts: BTreeMap<String, (bool, String, String)> = BTreeMap::new();
        let mut queue = VecDeque::from([("/".to_owned(), "(sign-in)".to_owned())]);
        while let Some((path, from)) = queue.pop_front() {
            if seen.len() >= 400 || !seen.insert(path.clone()) {
                continue;
            }
            let page = browser.get(&demo.url, &path);
            match page.status {
                200 | 303 => {}
                status => {
                    problems.push(format!("{username}: {path} answers {status} (linked from {from})"));
                    continue;
                }
            }
            let (links, forms) = targets(&page.body);
            for link in links {
                // This site's pages only; downloads, sign-out and in-page anchors aside.
                if !link.starts_with('/') || link.starts_with("//") || link.starts_with("/static/") {
                    continue;
                }
                let bare = link.split('#').next().unwrap_or("").to_owned();
                if bare.is_empty()
                    || [".xlsx", ".docx", ".json", ".csv"]
                        .iter()
                        .any(|e| bare.split('?').next().unwrap_or("").ends_with(e))
                    || bare.starts_with("/attachments/")
                    || bare.starts_with("/files/")
                    || bare.starts_with("/filing-files/")
                    || bare.contains("/evidence")
                {
                    continue;
                }
                match route_of("GET", &bare) {
                    Some(route) if !route.access.allows(role) => {
                        problems.push(format!(
                            "{username}: {path} links to {bare}, which its role may not open"
                        ));
                    }
                    Some(_) => queue.push_back((bare, path.clone())),
                    None => problems.push(format!("{username}: {path} links to {bare}, which is no route")),
                }
            }
            for (method, action, multipart) in forms {
                if action.is_empty() || action == "/logout" {
                    continue;
                }
                match route_of(&method, &action) {
                    Some(route) if !route.access.allows(role) => problems.push(format!(
                        "{username}: {path} has a form to {method} {action}, which its role may not use"
                    )),
                    Some(_) => {
                        if method == "POST"
                            && !action.starts_with("/account/")
                            && let Some(csrf) = common::hidden_csrf(&page.body)
                        {
                            posts.entry(action.clone()).or_insert((multipart, path.clone(), csrf));
                        }
                    }
                    None => problems.push(format!(
                        "{username}: {path} has a form to {method} {action}, which is no route"
                    )),
                }
            }
        }
        assert!(seen.len() > 10, "{username} walked only {} pages", seen.len());
        for (action, (multipart, from, csrf)) in &posts {
            let form = [("csrf", csrf.as_str())];
            let answer = if *multipart {
                browser.post_multipart(&demo.url, action, &form)
            } else {
                browser.send(&demo.url, "POST", action, &form)
            }
            .expect("POST");
            if answer.status == 403 || answer.status >= 500 {
                problems.push(format!(
                    "{username}: the form on {from} posts to {action}, which answers {} to its viewer",
                    answer.status
                ));
            }
        }
        assert!(
            posts.len() > 3 || role == Role::Leader,
            "{username} found only {} forms",
            posts.len()
        );
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
