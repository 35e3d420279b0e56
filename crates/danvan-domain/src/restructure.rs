//! Restructuring agencies: merging several into one, splitting one into several, renaming one,
//! dissolving one, on an effective date, with their open work carried over.
//!
//! The rules here are pure: which shapes are allowed, which successor an item goes to unless a
//! person chooses another. The application layer reads what would move, shows it, and does it
//! all in one transaction.

use serde::Serialize;
use time::Date;

use crate::unit::{SuccessionKind, Unit};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Restructuring {
    /// Several agencies become one (new, or one of them that continues).
    Merge,
    /// One agency's work is divided among several.
    Split,
    /// One agency continues under a new name (a new record from the effective date).
    Rename,
    /// An agency ends; what it held goes where a person says, or stays in its history.
    Dissolve,
}

impl Restructuring {
    pub const ALL: [Restructuring; 4] = [
        Restructuring::Merge,
        Restructuring::Split,
        Restructuring::Rename,
        Restructuring::Dissolve,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Restructuring::Merge => "merge",
            Restructuring::Split => "split",
            Restructuring::Rename => "rename",
            Restructuring::Dissolve => "dissolve",
        }
    }

    pub fn from_code(code: &str) -> Option<Restructuring> {
        Restructuring::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Restructuring::Merge => "Sáp nhập, hợp nhất",
            Restructuring::Split => "Chia tách",
            Restructuring::Rename => "Đổi tên",
            Restructuring::Dissolve => "Giải thể",
        }
    }

    /// How the ended agencies are linked to their successors.
    pub fn succession(self) -> SuccessionKind {
        match self {
            Restructuring::Merge | Restructuring::Dissolve => SuccessionKind::Merger,
            Restructuring::Split => SuccessionKind::Split,
            Restructuring::Rename => SuccessionKind::Rename,
        }
    }
}

/// What a restructuring carries over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Moved {
    /// An open assignment of a directive's task, with its deadline and reports.
    Assignment,
    /// The leader in charge of the agency's mobilization work.
    Leader,
    /// A periodic report still in the agency's hands (a draft, or returned).
    Filing,
    /// Membership of an evaluation group.
    Group,
    /// An officer's account.
    Account,
}

impl Moved {
    pub const ALL: [Moved; 5] = [
        Moved::Assignment,
        Moved::Leader,
        Moved::Filing,
        Moved::Group,
        Moved::Account,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Moved::Assignment => "assignment",
            Moved::Leader => "leader",
            Moved::Filing => "filing",
            Moved::Group => "group",
            Moved::Account => "account",
        }
    }

    pub fn from_code(code: &str) -> Option<Moved> {
        Moved::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Moved::Assignment => "Nhiệm vụ đang thực hiện",
            Moved::Leader => "Lãnh đạo phụ trách công tác dân vận",
            Moved::Filing => "Báo cáo định kỳ chưa nộp",
            Moved::Group => "Nhóm đánh giá, xếp loại",
            Moved::Account => "Tài khoản cán bộ",
        }
    }
}

/// What is wrong with a restructuring as asked. Each has its Vietnamese text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RestructureError {
    #[error("no agency chosen to restructure")]
    NoSource,
    #[error("a merger needs at least two agencies, or one merged into another")]
    MergeShape,
    #[error("a split divides one agency among at least two")]
    SplitShape,
    #[error("a renaming takes one agency and its new name")]
    RenameShape,
    #[error("an agency is among both the ended and the successors")]
    SourceIsSuccessor,
    #[error("an agency to restructure is not alive the day before the effective date")]
    SourceNotAlive,
    #[error("a successor is not alive on the effective date")]
    SuccessorNotAlive,
    #[error("an item's successor is not one of the restructuring's successors")]
    ChoiceNotASuccessor,
}

impl RestructureError {
    pub fn vi(self) -> &'static str {
        match self {
            RestructureError::NoSource => "Chọn đơn vị cần sắp xếp.",
            RestructureError::MergeShape => {
                "Sáp nhập cần ít nhất hai đơn vị, hoặc một đơn vị sáp nhập vào một đơn vị khác (có sẵn hoặc thành lập mới)."
            }
            RestructureError::SplitShape => "Chia tách cần đúng một đơn vị bị chia và ít nhất hai đơn vị tiếp nhận.",
            RestructureError::RenameShape => "Đổi tên cần đúng một đơn vị và tên mới (đơn vị mới).",
            RestructureError::SourceIsSuccessor => {
                "Một đơn vị không thể vừa kết thúc hoạt động vừa là đơn vị kế thừa; đơn vị tiếp tục hoạt động hãy chọn ở ô đơn vị kế thừa."
            }
            RestructureError::SourceNotAlive => {
                "Đơn vị cần sắp xếp phải đang hoạt động vào ngày liền trước ngày hiệu lực và chưa có ngày kết thúc."
            }
            RestructureError::SuccessorNotAlive => "Đơn vị kế thừa phải hoạt động từ ngày hiệu lực.",
            RestructureError::ChoiceNotASuccessor => "Nội dung được chuyển sang một đơn vị không phải đơn vị kế thừa.",
        }
    }
}

/// Checks the shape of a restructuring: `sources` end the day before `effective_on`;
/// `successors` are the existing agencies that continue their work, `new_successor` whether a
/// new agency is created from the effective date as a successor too.
pub fn check(
    kind: Restructuring,
    sources: &[&Unit],
    successors: &[&Unit],
    new_successor: bool,
    effective_on: Date,
) -> Result<(), RestructureError> {
    if sources.is_empty() {
        return Err(RestructureError::NoSource);
    }
    if sources.iter().any(|s| successors.iter().any(|t| t.id == s.id)) {
        return Err(RestructureError::SourceIsSuccessor);
    }
    let day_before = effective_on.previous_day().ok_or(RestructureError::SourceNotAlive)?;
    if sources
        .iter()
        .any(|s| !s.is_active_on(day_before) || s.valid_to.is_some())
    {
        return Err(RestructureError::SourceNotAlive);
    }
    if successors.iter().any(|t| !t.is_active_on(effective_on)) {
        return Err(RestructureError::SuccessorNotAlive);
    }
    let count = successors.len() + usize::from(new_successor);
    match kind {
        Restructuring::Merge if count != 1 || (sources.len() < 2 && successors.is_empty() && !new_successor) => {
            Err(RestructureError::MergeShape)
        }
        Restructuring::Split if sources.len() != 1 || count < 2 => Err(RestructureError::SplitShape),
        Restructuring::Rename if sources.len() != 1 || !new_successor || !successors.is_empty() => {
            Err(RestructureError::RenameShape)
        }
        _ => Ok(()),
    }
}

/// Where an item goes unless a person chooses: the one successor there is; none when there are
/// several (a split, a dissolution into several) or none.
pub fn default_successor(successor_ids: &[i64]) -> Option<i64> {
    match successor_ids {
        [only] => Some(*only),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::unit::UnitKind;
    use time::macros::date;

    fn unit(id: i64, from: Date, to: Option<Date>) -> Unit {
        Unit {
            id,
            code: format!("U{id}"),
            name: format!("Đơn vị {id}"),
            short_name: format!("ĐV {id}"),
            kind: UnitKind::Department,
            parent_id: None,
            group_id: None,
            valid_from: from,
            valid_to: to,
        }
    }

    #[test]
    fn the_shapes_of_a_restructuring_are_checked() {
        let old = date!(2004 - 01 - 01);
        let on = date!(2025 - 03 - 01);
        let (a, b, c) = (unit(1, old, None), unit(2, old, None), unit(3, old, None));
        let ended = unit(4, old, Some(date!(2024 - 12 - 31)));
        let later = unit(5, date!(2025 - 04 - 01), None);
        use Restructuring::*;
        assert_eq!(check(Merge, &[&a, &b], &[], true, on), Ok(()));
        assert_eq!(check(Merge, &[&a, &b], &[&c], false, on), Ok(()));
        assert_eq!(check(Merge, &[&a], &[&c], false, on), Ok(()));
        assert_eq!(
            check(Merge, &[&a, &b], &[&c], true, on),
            Err(RestructureError::MergeShape)
        );
        assert_eq!(
            check(Merge, &[&a, &b], &[], false, on),
            Err(RestructureError::MergeShape)
        );
        assert_eq!(
            check(Merge, &[&a, &b], &[&a], false, on),
            Err(RestructureError::SourceIsSuccessor)
        );
        assert_eq!(check(Split, &[&a], &[&b, &c], false, on), Ok(()));
        assert_eq!(check(Split, &[&a], &[&b], true, on), Ok(()));
        assert_eq!(check(Split, &[&a], &[&b], false, on), Err(RestructureError::SplitShape));
        assert_eq!(
            check(Split, &[&a, &b], &[&c], true, on),
            Err(RestructureError::SplitShape)
        );
        assert_eq!(check(Rename, &[&a], &[], true, on), Ok(()));
        assert_eq!(
            check(Rename, &[&a], &[&b], false, on),
            Err(RestructureError::RenameShape)
        );
        assert_eq!(check(Dissolve, &[&a], &[], false, on), Ok(()));
        assert_eq!(
            check(Dissolve, &[&ended], &[], false, on),
            Err(RestructureError::SourceNotAlive)
        );
        assert_eq!(
            check(Merge, &[&a], &[&later], false, on),
            Err(RestructureError::SuccessorNotAlive)
        );
        assert_eq!(check(Dissolve, &[], &[], false, on), Err(RestructureError::NoSource));
        // An agency already given its last day cannot be restructured again.
        let closing = unit(6, old, Some(date!(2025 - 06 - 30)));
        assert_eq!(
            check(Dissolve, &[&closing], &[], false, on),
            Err(RestructureError::SourceNotAlive)
        );
    }

    #[test]
    fn one_successor_is_the_default_several_are_chosen() {
        assert_eq!(default_successor(&[7]), Some(7));
        assert_eq!(default_successor(&[7, 8]), None);
        assert_eq!(default_successor(&[]), None);
    }
}
