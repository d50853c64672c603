//! Paged lists: `page` (from 1) and `pageSize` in, `{items, total, page, pageSize}` out.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub const DEFAULT_PAGE_SIZE: u64 = 20;
pub const MAX_PAGE_SIZE: u64 = 200;

#[derive(Debug, Clone, Copy, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct PageRequest {
    /// Page number, from 1.
    #[param(minimum = 1, default = 1)]
    pub page: Option<u64>,
    /// Rows per page, 1–200.
    #[param(minimum = 1, maximum = 200, default = 20)]
    pub page_size: Option<u64>,
}

impl PageRequest {
    pub fn new(page: u64, page_size: u64) -> PageRequest {
        PageRequest {
            page: Some(page),
            page_size: Some(page_size),
        }
    }

    /// The page asked for, at least 1.
    pub fn page(&self) -> u64 {
        self.page.unwrap_or(1).max(1)
    }

    /// The page size asked for, within 1..=200.
    pub fn page_size(&self) -> u64 {
        self.page_size
            .unwrap_or(DEFAULT_PAGE_SIZE)
            .clamp(1, MAX_PAGE_SIZE)
    }

    pub fn offset(&self) -> u64 {
        (self.page() - 1) * self.page_size()
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest::new(1, DEFAULT_PAGE_SIZE)
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub page_size: u64,
}

impl<T> Page<T> {
    pub fn new(items: Vec<T>, total: u64, request: &PageRequest) -> Page<T> {
        Page {
            items,
            total,
            page: request.page(),
            page_size: request.page_size(),
        }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            page: self.page,
            page_size: self.page_size,
        }
    }
}
