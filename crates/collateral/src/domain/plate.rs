//! Chinese number plates (车牌号), checked loosely: a province abbreviation, the issuing
//! authority's letter, then five alphanumerics (conventional plates) or six (new-energy plates,
//! 新能源). Special plates (police, embassy, trailer suffixes 挂/学) are not accepted yet.

use super::Invalid;

const PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PlateNumber(String);

pub const INVALID_PLATE: Invalid = Invalid::new(
    "invalid_plate",
    "a plate is a province character, a letter and 5 (or 6 for new-energy) letters or digits, e.g. 京A12345",
);

impl PlateNumber {
    pub fn parse(raw: &str) -> Result<PlateNumber, Invalid> {
        let value: String = raw
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '·' | '-' | '•'))
            .collect::<String>()
            .to_uppercase();
        let mut chars = value.chars();
        let province = chars.next();
        let authority = chars.next();
        let rest: Vec<char> = chars.collect();
        let ok = province.is_some_and(|p| PROVINCES.contains(p))
            && authority.is_some_and(|a| a.is_ascii_uppercase())
            && matches!(rest.len(), 5 | 6)
            && rest
                .iter()
                .all(|c| c.is_ascii_digit() || (c.is_ascii_uppercase() && !matches!(c, 'I' | 'O')));
        if ok {
            Ok(PlateNumber(value))
        } else {
            Err(INVALID_PLATE)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Eight characters: a new-energy (green) plate.
    pub fn is_new_energy(&self) -> bool {
        self.0.chars().count() == 8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conventional_and_new_energy_plates() {
        assert_eq!(PlateNumber::parse("京A12345").unwrap().as_str(), "京A12345");
        assert_eq!(
            PlateNumber::parse("粤b·3k5j7").unwrap().as_str(),
            "粤B3K5J7"
        );
        let green = PlateNumber::parse("沪AD12345").unwrap();
        assert!(green.is_new_energy());
        assert!(!PlateNumber::parse("京A12345").unwrap().is_new_energy());
    }

    #[test]
    fn refuses_what_is_not_a_plate() {
        for bad in [
            "",
            "A12345",
            "京12345",
            "京A1234",
            "京A1234567",
            "港A12345",
            "京AO1234",
            "京A1234!",
        ] {
            assert_eq!(PlateNumber::parse(bad), Err(INVALID_PLATE), "{bad}");
        }
    }
}
