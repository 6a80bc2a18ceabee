//! What people type, checked: funders and sponsorships as forms, the CSV
//! import and the API give them. Every error names its field.
use chrono::NaiveDate;

use super::money::{format_cents, parse_cents};

/// A field that is wrong, and why (in English: forms and CSV rows name the field).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

fn bad(field: &'static str, message: impl Into<String>) -> FieldError {
    FieldError { field, message: message.into() }
}

/// ISO 4217 codes accepted besides any three capital letters? No: only
/// these (the currencies funders of this field use; extend when needed).
pub const CURRENCIES: &[&str] = &[
    "AUD", "BRL", "CAD", "CHF", "CNY", "CZK", "DKK", "EUR", "GBP", "HKD", "HUF", "INR", "JPY", "KRW", "MXN", "NOK",
    "NZD", "PLN", "RON", "SEK", "SGD", "TWD", "USD", "ZAR",
];

/// ISO 3166-1 alpha-2 codes, plus EU (the European Union's programmes).
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS \
BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET EU FI FJ \
FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE \
JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR \
MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU \
RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG \
UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

pub const MAX_NAME: usize = 200;
pub const MAX_TEXT: usize = 5000;
pub const MAX_URL: usize = 2000;

fn opt(s: &str) -> Option<&str> {
    Some(s.trim()).filter(|s| !s.is_empty())
}

pub fn check_slug(slug: &str) -> Result<String, FieldError> {
    let s = slug.trim();
    let ok = !s.is_empty()
        && s.len() <= 63
        && s.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(s.to_string())
    } else {
        Err(bad("slug", "1 to 63 lower-case letters, digits and dashes, starting with a letter or digit"))
    }
}

pub fn check_url(field: &'static str, url: &str) -> Result<Option<String>, FieldError> {
    let Some(u) = opt(url) else { return Ok(None) };
    let parsed = url::Url::parse(u).map_err(|_| bad(field, "not a URL"))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(bad(field, "must be an http or https URL"));
    }
    if u.len() > MAX_URL {
        return Err(bad(field, "at most 2000 characters"));
    }
    Ok(Some(u.to_string()))
}

fn check_text(field: &'static str, text: &str, max: usize) -> Result<Option<String>, FieldError> {
    let Some(t) = opt(text) else { return Ok(None) };
    if t.chars().count() > max {
        return Err(bad(field, format!("at most {max} characters")));
    }
    if t.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(bad(field, "control characters are not allowed"));
    }
    Ok(Some(t.to_string()))
}

pub fn check_currency(code: &str) -> Result<String, FieldError> {
    let c = code.trim();
    if CURRENCIES.contains(&c) {
        Ok(c.to_string())
    } else if c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()) {
        Err(bad("currency", format!("{c} is not a currency code this site knows (ISO 4217: EUR, USD, GBP, CHF…)")))
    } else {
        Err(bad("currency", "an ISO 4217 code in capitals, such as EUR or USD"))
    }
}

pub fn check_country(code: &str) -> Result<Option<String>, FieldError> {
    let Some(c) = opt(code) else { return Ok(None) };
    if c.len() == 2 && COUNTRIES.split_whitespace().any(|k| k == c) {
        Ok(Some(c.to_string()))
    } else {
        Err(bad("country", "an ISO 3166-1 alpha-2 code in capitals (FR, DE, US) or EU"))
    }
}

pub fn check_date(field: &'static str, text: &str) -> Result<Option<NaiveDate>, FieldError> {
    let Some(t) = opt(text) else { return Ok(None) };
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .ok()
        .filter(|d| (1900..=2200).contains(&chrono::Datelike::year(d)))
        .map(Some)
        .ok_or_else(|| bad(field, "a date YYYY-MM-DD (between 1900 and 2200)"))
}

/// A funder as typed.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct FunderInput {
    pub slug: String,
    pub name: String,
    /// foundation, consortium, agency, company or individual
    pub kind: String,
    pub country: String,
    pub url: String,
    pub description: String,
}

/// A funder checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunderRecord {
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub country: Option<String>,
    pub url: Option<String>,
    pub description: Option<String>,
}

impl FunderInput {
    pub fn check(&self) -> Result<FunderRecord, FieldError> {
        let slug = check_slug(&self.slug)?;
        let name = check_text("name", &self.name, MAX_NAME)?.ok_or_else(|| bad("name", "required"))?;
        let kind = self.kind.trim();
        if !app::api::funding::FUNDER_KINDS.contains(&kind) {
            return Err(bad("kind", "one of foundation, consortium, agency, company, individual"));
        }
        Ok(FunderRecord {
            slug,
            name,
            kind: kind.to_string(),
            country: check_country(&self.country)?,
            url: check_url("url", &self.url)?,
            description: check_text("description", &self.description, MAX_TEXT)?,
        })
    }
}

/// What a sponsorship funds, as a reference (see `app::api::funding::Sponsorship::target`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Project(String),
    Package { ecosystem: String, channel: String, name: String },
    Maintainer { forge: String, handle: String },
    CiService(String),
    Mirror(String),
    SoftwareHeritage,
    Other(String),
}

pub const TARGET_HELP: &str = "project:KEY, package:ECOSYSTEM/CHANNEL/NAME, maintainer:FORGE:HANDLE, \
infrastructure:ci-service:NAME, infrastructure:mirror:NAME, infrastructure:software-heritage or infrastructure:other:NAME";

impl Target {
    pub fn parse(text: &str) -> Result<Target, FieldError> {
        let t = text.trim();
        let wrong = || bad("target", format!("{t:?} is not a target reference ({TARGET_HELP})"));
        let nonempty = |s: &str| -> Result<String, FieldError> {
            let s = s.trim();
            if s.is_empty() || s.chars().count() > MAX_NAME || s.chars().any(char::is_control) {
                Err(wrong())
            } else {
                Ok(s.to_string())
            }
        };
        let (kind, rest) = t.split_once(':').ok_or_else(wrong)?;
        match kind {
            "project" => Ok(Target::Project(nonempty(rest)?)),
            "package" => {
                let mut parts = rest.splitn(3, '/');
                let (Some(e), Some(c), Some(n)) = (parts.next(), parts.next(), parts.next()) else {
                    return Err(wrong());
                };
                if !["guix", "spack", "nix"].contains(&e) {
                    return Err(bad("target", "a package's ecosystem is guix, spack or nix"));
                }
                Ok(Target::Package { ecosystem: e.into(), channel: nonempty(c)?, name: nonempty(n)? })
            }
            "maintainer" => {
                let (forge, handle) = rest.split_once(':').ok_or_else(wrong)?;
                crate::maintainers::validate(forge, handle).map_err(|m| bad("target", m))?;
                Ok(Target::Maintainer { forge: forge.into(), handle: handle.into() })
            }
            "infrastructure" => match rest.split_once(':') {
                Some(("ci-service", name)) => Ok(Target::CiService(nonempty(name)?)),
                Some(("mirror", name)) => Ok(Target::Mirror(nonempty(name)?)),
                Some(("other", name)) => Ok(Target::Other(nonempty(name)?)),
                None if rest == "software-heritage" => Ok(Target::SoftwareHeritage),
                _ => Err(wrong()),
            },
            _ => Err(wrong()),
        }
    }
}

/// A sponsorship as typed (forms, CSV rows, API bodies): all text.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SponsorshipInput {
    /// The funder's slug.
    pub funder: String,
    /// A target reference (project:…, package:…, maintainer:…, infrastructure:…).
    pub target: String,
    /// The amount for the whole period, a decimal with at most 2 decimals; empty when in kind.
    pub amount: String,
    /// ISO 4217; empty when in kind.
    pub currency: String,
    /// true (or yes, 1, on) for an in-kind sponsorship.
    pub in_kind: String,
    /// YYYY-MM-DD.
    pub starts_on: String,
    /// YYYY-MM-DD, or empty while open-ended.
    pub ends_on: String,
    pub note: String,
    pub source_url: String,
}

/// A sponsorship checked (its target not yet looked up).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SponsorshipRecord {
    pub funder: String,
    pub target: Target,
    /// Decimal string with two decimals, and the currency; none when in kind.
    pub money: Option<(String, String)>,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub note: Option<String>,
    pub source_url: Option<String>,
}

pub fn truthy(field: &'static str, text: &str) -> Result<bool, FieldError> {
    match text.trim().to_ascii_lowercase().as_str() {
        "" | "false" | "no" | "0" | "off" => Ok(false),
        "true" | "yes" | "1" | "on" => Ok(true),
        _ => Err(bad(field, "true or false")),
    }
}

impl SponsorshipInput {
    pub fn check(&self) -> Result<SponsorshipRecord, FieldError> {
        let funder = check_slug(&self.funder).map_err(|_| bad("funder", "a funder's slug"))?;
        let target = Target::parse(&self.target)?;
        let in_kind = truthy("in_kind", &self.in_kind)?;
        let money = if in_kind {
            if opt(&self.amount).is_some() || opt(&self.currency).is_some() {
                return Err(bad("amount", "an in-kind sponsorship has no amount and no currency"));
            }
            None
        } else {
            let amount = opt(&self.amount).ok_or_else(|| bad("amount", "required (or in kind)"))?;
            let cents = parse_cents(amount)
                .ok_or_else(|| bad("amount", "a positive decimal such as 15000 or 15000.50 (a point, no grouping)"))?;
            Some((format_cents(cents), check_currency(&self.currency)?))
        };
        let starts_on = check_date("starts_on", &self.starts_on)?.ok_or_else(|| bad("starts_on", "required"))?;
        let ends_on = check_date("ends_on", &self.ends_on)?;
        if ends_on.is_some_and(|e| e < starts_on) {
            return Err(bad("ends_on", "before starts_on"));
        }
        Ok(SponsorshipRecord {
            funder,
            target,
            money,
            starts_on,
            ends_on,
            note: check_text("note", &self.note, MAX_TEXT)?,
            source_url: check_url("source_url", &self.source_url)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> SponsorshipInput {
        SponsorshipInput {
            funder: "hpsf".into(),
            target: "package:spack/builtin/hdf5".into(),
            amount: "1000".into(),
            currency: "EUR".into(),
            starts_on: "2025-01-01".into(),
            ..Default::default()
        }
    }

    #[test]
    fn sponsorships_are_checked_field_by_field() {
        let ok = input().check().unwrap();
        assert_eq!(ok.money, Some(("1000.00".into(), "EUR".into())));
        let field = |i: SponsorshipInput| i.check().unwrap_err().field;
        assert_eq!(field(SponsorshipInput { currency: "eur".into(), ..input() }), "currency");
        assert_eq!(field(SponsorshipInput { currency: "XYZ".into(), ..input() }), "currency");
        assert_eq!(field(SponsorshipInput { amount: "1,000".into(), ..input() }), "amount");
        assert_eq!(field(SponsorshipInput { in_kind: "yes".into(), ..input() }), "amount");
        assert_eq!(field(SponsorshipInput { starts_on: "2025-13-01".into(), ..input() }), "starts_on");
        assert_eq!(field(SponsorshipInput { ends_on: "2024-01-01".into(), ..input() }), "ends_on");
        assert_eq!(field(SponsorshipInput { target: "package:cargo/x/y".into(), ..input() }), "target");
        assert_eq!(field(SponsorshipInput { source_url: "javascript:alert(1)".into(), ..input() }), "source_url");
        let kind = SponsorshipInput { in_kind: "true".into(), amount: "".into(), currency: "".into(), ..input() };
        assert_eq!(kind.check().unwrap().money, None);
    }

    #[test]
    fn targets_parse() {
        assert_eq!(Target::parse("project:hdf5").unwrap(), Target::Project("hdf5".into()));
        assert_eq!(
            Target::parse("maintainer:github:alice").unwrap(),
            Target::Maintainer { forge: "github".into(), handle: "alice".into() }
        );
        assert_eq!(Target::parse("infrastructure:software-heritage").unwrap(), Target::SoftwareHeritage);
        assert_eq!(
            Target::parse("infrastructure:ci-service:demo-cuirass").unwrap(),
            Target::CiService("demo-cuirass".into())
        );
        assert!(Target::parse("infrastructure:cloud:x").is_err());
        assert!(Target::parse("hdf5").is_err());
    }

    #[test]
    fn funders_are_checked() {
        let f =
            FunderInput { slug: "hpsf".into(), name: "HPSF".into(), kind: "foundation".into(), ..Default::default() };
        assert!(f.check().is_ok());
        assert_eq!(FunderInput { slug: "Bad Slug".into(), ..f.clone() }.check().unwrap_err().field, "slug");
        assert_eq!(FunderInput { kind: "bank".into(), ..f.clone() }.check().unwrap_err().field, "kind");
        assert_eq!(FunderInput { country: "XX".into(), ..f.clone() }.check().unwrap_err().field, "country");
        assert_eq!(FunderInput { country: "EU".into(), ..f.clone() }.check().unwrap().country.as_deref(), Some("EU"));
        assert_eq!(FunderInput { url: "ftp://x".into(), ..f }.check().unwrap_err().field, "url");
    }
}
