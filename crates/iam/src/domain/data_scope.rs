//! Data scope (数据权限): how much of the organisation's data a role may see.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DataScope {
    /// Only records the user owns (本人).
    #[serde(rename = "self")]
    OwnOnly,
    /// Records of the user's own department (本部门).
    Department,
    /// The user's department and every department below it (本部门及下级).
    DepartmentTree,
    /// Everything (全部).
    All,
}

impl DataScope {
    pub fn as_str(self) -> &'static str {
        match self {
            DataScope::OwnOnly => "self",
            DataScope::Department => "department",
            DataScope::DepartmentTree => "department_tree",
            DataScope::All => "all",
        }
    }

    pub fn parse(s: &str) -> Option<DataScope> {
        match s {
            "self" => Some(DataScope::OwnOnly),
            "department" => Some(DataScope::Department),
            "department_tree" => Some(DataScope::DepartmentTree),
            "all" => Some(DataScope::All),
            _ => None,
        }
    }

    /// A user with several roles sees what the widest of them allows.
    pub fn widest(scopes: impl IntoIterator<Item = DataScope>) -> DataScope {
        scopes.into_iter().max().unwrap_or(DataScope::OwnOnly)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_widest_role_wins() {
        assert_eq!(
            DataScope::widest([DataScope::OwnOnly, DataScope::DepartmentTree]),
            DataScope::DepartmentTree
        );
        assert_eq!(DataScope::widest([]), DataScope::OwnOnly);
        assert_eq!(DataScope::parse("self"), Some(DataScope::OwnOnly));
    }
}
