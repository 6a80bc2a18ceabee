//! Components shared by several pages.
pub mod chart;
pub mod copy;
pub mod layout;
pub mod links;
pub mod pager;
pub mod time;
