//! The vehicle identification number (车辆识别代号, VIN): 17 characters from the digits and the
//! capital letters other than I, O and Q, with a check digit at position 9 (ISO 3779, as North
//! America and GB 16735 use it).

use super::Invalid;

/// A VIN with a valid shape. Its check digit holds unless it was parsed with
/// [`Vin::parse_overriding_check_digit`], which some imported cars need.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Vin(String);

/// Weight of each position in the check-digit sum; position 9 (the check digit) weighs 0.
const WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/// The transliteration of a VIN character to its value, or `None` for a character a VIN may
/// not hold (I, O, Q, lower case, anything else).
fn value(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some(u32::from(c - b'0')),
        b'A' | b'J' => Some(1),
        b'B' | b'K' | b'S' => Some(2),
        b'C' | b'L' | b'T' => Some(3),
        b'D' | b'M' | b'U' => Some(4),
        b'E' | b'N' | b'V' => Some(5),
        b'F' | b'W' => Some(6),
        b'G' | b'P' | b'X' => Some(7),
        b'H' | b'Y' => Some(8),
        b'R' | b'Z' => Some(9),
        _ => None,
    }
}

/// The check digit a 17-character VIN of valid characters should carry at position 9.
pub fn expected_check_digit(vin: &[u8; 17]) -> char {
    let sum: u32 = vin
        .iter()
        .zip(WEIGHTS)
        .map(|(c, w)| value(*c).unwrap_or(0) * w)
        .sum();
    match sum % 11 {
        10 => 'X',
        r => char::from_digit(r, 10).expect("a remainder below 10 is a digit"),
    }
}

pub const INVALID_VIN: Invalid = Invalid::new(
    "invalid_vin",
    "a VIN has 17 characters: digits and capital letters other than I, O and Q",
);
pub const INVALID_CHECK_DIGIT: Invalid = Invalid::new(
    "invalid_vin_check_digit",
    "the check digit (9th character) does not match the VIN",
);

impl Vin {
    /// Parses a VIN, refusing a wrong check digit.
    pub fn parse(raw: &str) -> Result<Vin, Invalid> {
        let vin = Vin::parse_overriding_check_digit(raw)?;
        if vin.check_digit_holds() {
            Ok(vin)
        } else {
            Err(INVALID_CHECK_DIGIT)
        }
    }

    /// Parses a VIN whose check digit may be wrong (an appraiser's audited override); its
    /// length and characters must still be right.
    pub fn parse_overriding_check_digit(raw: &str) -> Result<Vin, Invalid> {
        let value_str: String = raw
            .trim()
            .chars()
            .filter(|c| *c != ' ' && *c != '-')
            .collect::<String>()
            .to_ascii_uppercase();
        let bytes = value_str.as_bytes();
        if bytes.len() != 17 || !bytes.iter().all(|c| value(*c).is_some()) {
            return Err(INVALID_VIN);
        }
        Ok(Vin(value_str))
    }

    /// Whether position 9 carries the check digit computed from the others.
    pub fn check_digit_holds(&self) -> bool {
        let bytes: &[u8; 17] = self
            .0
            .as_bytes()
            .try_into()
            .expect("a parsed VIN has 17 bytes");
        char::from(bytes[8]) == expected_check_digit(bytes)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expected(vin: &str) -> char {
        expected_check_digit(vin.as_bytes().try_into().unwrap())
    }

    #[test]
    fn the_classic_example_with_an_x_check_digit_is_valid() {
        // Sum 351, 351 mod 11 = 10, so the check digit is X.
        assert_eq!(expected("1M8GDM9AXKP042788"), 'X');
        let vin = Vin::parse("1M8GDM9AXKP042788").unwrap();
        assert_eq!(vin.as_str(), "1M8GDM9AXKP042788");
        assert!(vin.check_digit_holds());
    }

    #[test]
    fn real_format_vins_with_computed_check_digits() {
        // A Honda (1HG…), a Chinese FAW-VW (LFV…) and a BYD (LGX…) shaped VIN; each check
        // digit computed by hand with the ISO 3779 table and weights.
        assert_eq!(expected("1HGCM82633A004352"), '3');
        assert!(Vin::parse("1HGCM82633A004352").is_ok());
        // L F V 2 A 2 1 K 5 G 4 0 1 2 3 4 5 → 3·8+6·7+5·6+2·5+1·4+2·3+1·2+2·10+7·9+4·8+0+1·6+2·5+3·4+4·3+5·2 = 283, 283 mod 11 = 8
        assert_eq!(expected("LFV2A21K5G4012345"), '8');
        assert!(Vin::parse("LFV2A21K8G4012345").is_ok());
        assert_eq!(
            Vin::parse("LFV2A21K5G4012345"),
            Err(INVALID_CHECK_DIGIT),
            "a wrong check digit is refused"
        );
    }

    #[test]
    fn lower_case_and_separators_are_normalised() {
        assert_eq!(
            Vin::parse(" 1m8gdm9axkp-042788 ").unwrap().as_str(),
            "1M8GDM9AXKP042788"
        );
    }

    #[test]
    fn shape_errors_are_refused_even_with_the_override() {
        for bad in [
            "1M8GDM9AXKP04278",   // 16 characters
            "1M8GDM9AXKP0427888", // 18
            "IM8GDM9AXKP042788",  // I
            "1M8GDM9AXKP04278O",  // O
            "1M8GDM9AXKQ042788",  // Q
            "1M8GDM9AXKP04278!",
            "",
        ] {
            assert_eq!(Vin::parse(bad), Err(INVALID_VIN), "{bad}");
            assert_eq!(
                Vin::parse_overriding_check_digit(bad),
                Err(INVALID_VIN),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_override_accepts_a_wrong_check_digit_and_says_so() {
        let vin = Vin::parse_overriding_check_digit("1M8GDM9A1KP042788").unwrap();
        assert!(!vin.check_digit_holds());
    }

    #[test]
    fn every_single_character_change_at_a_weighted_position_is_caught_or_recomputed() {
        // Changing one weighted character changes the sum by a multiple of its weight, which
        // is below 11, so the check digit moves unless the transliterated value is the same.
        let base = *b"1M8GDM9AXKP042788";
        for pos in (0..17).filter(|p| *p != 8) {
            for c in b"0123456789ABCDEFGHJKLMNPRSTUVWXYZ" {
                let mut v = base;
                v[pos] = *c;
                let same_value = value(*c) == value(base[pos]);
                assert_eq!(
                    expected_check_digit(&v) == 'X',
                    same_value,
                    "position {pos} char {}",
                    *c as char
                );
            }
        }
    }
}
