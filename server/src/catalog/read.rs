//! Reading the catalog for pages and the JSON API.
