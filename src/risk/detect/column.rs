//! Column-name heuristics: what a column's name suggests it holds. These run before any value is
//! read, so that a policy author is warned about `customer.email` even when the sample is empty.
//!
//! Names are split into lower-case words at `_`, `-`, `.`, spaces and camelCase boundaries, then
//! matched word by word (so `zip` does not match inside `unzipped`) and, for compounds written
//! as one word (`firstname`, `dateofbirth`), against the joined name.

/// (category, words that suggest it, compounds that suggest it anywhere in the joined name).
const PII_RULES: &[(&str, &[&str], &[&str])] = &[
    (
        "email",
        &["email", "mail", "e-mail"],
        &["emailaddress", "email"],
    ),
    (
        "phone",
        &[
            "phone",
            "mobile",
            "tel",
            "telephone",
            "cell",
            "fax",
            "msisdn",
        ],
        &["phonenumber", "phone"],
    ),
    (
        "date_of_birth",
        &["birth", "dob", "birthday", "birthdate", "born"],
        &["dateofbirth", "birthdate"],
    ),
    (
        "national_id",
        &[
            "ssn",
            "sin",
            "nin",
            "passport",
            "nationalid",
            "tin",
            "taxid",
        ],
        &[
            "socialsecurity",
            "nationalid",
            "passportnumber",
            "driverslicense",
            "driverlicense",
        ],
    ),
    (
        "card_number",
        &["card", "pan", "cc", "ccnumber", "cvv", "cvc"],
        &["creditcard", "cardnumber"],
    ),
    (
        "bank_account",
        &["iban", "bic", "swift", "bankaccount"],
        &["accountnumber", "bankaccount", "routingnumber", "sortcode"],
    ),
    (
        "password",
        &["password", "passwd", "pwd", "passphrase"],
        &["password", "passwordhash"],
    ),
    (
        "secret",
        &[
            "token",
            "secret",
            "apikey",
            "api_key",
            "credential",
            "credentials",
            "otp",
        ],
        &[
            "apikey",
            "accesskey",
            "secretkey",
            "privatekey",
            "authtoken",
            "refreshtoken",
        ],
    ),
    (
        "ip_address",
        &["ip", "ipaddr", "ipv4", "ipv6"],
        &["ipaddress", "remoteaddr", "clientip"],
    ),
    ("mac_address", &["mac"], &["macaddress"]),
    (
        "postal_code",
        &["zip", "zipcode", "postcode", "postal"],
        &["zipcode", "postalcode", "postcode"],
    ),
    (
        "address",
        &["address", "addr", "street", "addressline"],
        &["streetaddress", "addressline", "homeaddress"],
    ),
    (
        "location",
        &[
            "lat",
            "lng",
            "lon",
            "latitude",
            "longitude",
            "geo",
            "geolocation",
            "coordinates",
        ],
        &["geolocation"],
    ),
    (
        "name",
        &[
            "surname",
            "firstname",
            "lastname",
            "fullname",
            "forename",
            "maidenname",
            "nickname",
        ],
        &[
            "firstname",
            "lastname",
            "fullname",
            "givenname",
            "familyname",
            "middlename",
            "maidenname",
        ],
    ),
];

/// Qualifiers that make `name` mean a thing's name, not a person's.
const NON_PERSON: &[&str] = &[
    "file",
    "table",
    "schema",
    "column",
    "host",
    "product",
    "company",
    "org",
    "organization",
    "brand",
    "item",
    "category",
    "domain",
    "server",
    "db",
    "database",
    "app",
    "application",
    "display",
    "class",
    "type",
    "field",
    "key",
    "index",
    "tag",
    "event",
    "project",
    "team",
    "group",
    "role",
    "queue",
    "topic",
    "bucket",
    "path",
    "dir",
    "folder",
    "image",
    "device",
];

/// Words that suggest a quasi-identifier: harmless alone, identifying in combination.
const QI_WORDS: &[&str] = &[
    "zip",
    "zipcode",
    "postcode",
    "postal",
    "birth",
    "dob",
    "birthday",
    "birthdate",
    "born",
    "gender",
    "sex",
    "age",
    "city",
    "town",
    "county",
    "region",
    "district",
    "country",
    "nationality",
    "citizenship",
    "ethnicity",
    "race",
    "religion",
    "marital",
    "occupation",
    "job",
    "profession",
    "employer",
    "education",
    "language",
    "height",
    "weight",
];
const QI_COMPOUNDS: &[&str] = &[
    "zipcode",
    "postalcode",
    "postcode",
    "dateofbirth",
    "birthdate",
    "yearofbirth",
    "birthyear",
];

/// Lower-case words of a column name.
fn words(column: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in column.chars() {
        if c == '_' || c == '-' || c == '.' || c == ' ' {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The kind of personal data a column's name suggests, as a category name (`"email"`,
/// `"phone"`, `"name"`, `"address"`, `"date_of_birth"`, `"national_id"`, `"ip_address"`,
/// `"secret"`, `"password"`, `"bank_account"`, `"card_number"`, `"postal_code"`, ...).
pub fn name_suggests_pii(column: &str) -> Option<&'static str> {
    let words = words(column);
    let joined: String = words.concat();
    let has = |w: &str| words.iter().any(|x| x == w);
    for &(category, singles, compounds) in PII_RULES {
        if singles.iter().any(|w| has(w)) || compounds.iter().any(|c| joined.contains(c)) {
            return Some(category);
        }
    }
    // A bare `name` is a person's name unless a qualifier says whose name it is.
    if has("name") && !words.iter().any(|w| NON_PERSON.contains(&w.as_str())) {
        return Some("name");
    }
    None
}

/// Whether a column's name suggests a quasi-identifier (ZIP code, birth date, gender, age,
/// city, ...).
pub fn name_suggests_quasi_identifier(column: &str) -> bool {
    let words = words(column);
    let joined: String = words.concat();
    words.iter().any(|w| QI_WORDS.contains(&w.as_str()))
        || QI_COMPOUNDS.iter().any(|c| joined.contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pii_names() {
        let cases = [
            ("email", Some("email")),
            ("contactEmailAddress", Some("email")),
            ("mobile_phone", Some("phone")),
            ("first_name", Some("name")),
            ("LastName", Some("name")),
            ("name", Some("name")),
            ("product_name", None),
            ("table_name", None),
            ("date_of_birth", Some("date_of_birth")),
            ("dob", Some("date_of_birth")),
            ("ssn", Some("national_id")),
            ("last_login_ip", Some("ip_address")),
            ("api_token", Some("secret")),
            ("password_hash", Some("password")),
            ("iban", Some("bank_account")),
            ("card_number", Some("card_number")),
            ("zip", Some("postal_code")),
            ("postcode", Some("postal_code")),
            ("street_address", Some("address")),
            ("unzipped_size", None),
            ("shipping_method", None),
            ("created_at", None),
            ("id", None),
        ];
        for (column, want) in cases {
            assert_eq!(name_suggests_pii(column), want, "{column}");
        }
    }

    #[test]
    fn quasi_identifier_names() {
        let cases = [
            ("zip", true),
            ("postalCode", true),
            ("birth_date", true),
            ("gender", true),
            ("sex", true),
            ("age", true),
            ("city", true),
            ("page_count", false),
            ("usage", false),
            ("amount", false),
        ];
        for (column, want) in cases {
            assert_eq!(name_suggests_quasi_identifier(column), want, "{column}");
        }
    }
}
