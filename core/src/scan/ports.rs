//! Port specs: `22,80,8000-8100`, open ranges `-1024` and `8000-`, `-` for all of 1-65535.
//!
//! The result is sorted and de-duplicated. Port 0 is not a TCP destination and is refused.

use super::ScanError;
use super::services::TOP_ORDER;

fn bad(spec: &str, item: &str, reason: impl Into<String>) -> ScanError {
    ScanError::BadPorts {
        spec: spec.to_string(),
        item: item.to_string(),
        reason: reason.into(),
    }
}

fn port(spec: &str, item: &str, text: &str) -> Result<u16, ScanError> {
    let text = text.trim();
    match text.parse::<u32>() {
        Ok(0) => Err(bad(spec, item, "port 0 is not allowed")),
        Ok(p) if p <= 65_535 => Ok(p as u16),
        Ok(p) => Err(bad(spec, item, format!("port {p} is above 65535"))),
        Err(_) => Err(bad(
            spec,
            item,
            format!("`{text}` is not a port number (1-65535)"),
        )),
    }
}

/// Parses a port spec into sorted, distinct ports.
pub fn parse_ports(spec: &str) -> Result<Vec<u16>, ScanError> {
    if spec.trim().is_empty() {
        return Err(bad(spec, "", "empty port spec"));
    }
    let mut seen = vec![false; 65_536];
    for raw in spec.split(',') {
        let item = raw.trim();
        if item.is_empty() {
            return Err(bad(spec, raw, "empty item"));
        }
        let (lo, hi) = match item.split_once('-') {
            None => {
                let p = port(spec, item, item)?;
                (p, p)
            }
            Some((a, b)) => {
                let lo = if a.trim().is_empty() {
                    1
                } else {
                    port(spec, item, a)?
                };
                let hi = if b.trim().is_empty() {
                    65_535
                } else {
                    port(spec, item, b)?
                };
                if lo > hi {
                    return Err(bad(
                        spec,
                        item,
                        format!("range runs backwards ({lo} > {hi})"),
                    ));
                }
                (lo, hi)
            }
        };
        for p in lo..=hi {
            seen[usize::from(p)] = true;
        }
    }
    Ok((1..=65_535u16).filter(|&p| seen[usize::from(p)]).collect())
}

/// The first `n` ports of the built-in list, most common first, in that order.
pub fn top_ports(n: usize) -> Result<Vec<u16>, ScanError> {
    if n == 0 || n > TOP_ORDER.len() {
        return Err(ScanError::BadTop {
            requested: n,
            available: TOP_ORDER.len(),
        });
    }
    Ok(TOP_ORDER[..n].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_ranges() {
        assert_eq!(parse_ports("80").unwrap(), vec![80]);
        assert_eq!(
            parse_ports("8002-8000,22, 80 ,22").unwrap_err().to_string(),
            "port spec `8002-8000,22, 80 ,22`: item `8002-8000`: range runs backwards (8002 > 8000)"
        );
        assert_eq!(
            parse_ports("8000-8002,22, 80 ,22").unwrap(),
            vec![22, 80, 8000, 8001, 8002]
        );
        assert_eq!(parse_ports("-").unwrap().len(), 65_535);
        assert_eq!(parse_ports("1-65535").unwrap().len(), 65_535);
        assert_eq!(parse_ports("-3").unwrap(), vec![1, 2, 3]);
        assert_eq!(parse_ports("65534-").unwrap(), vec![65_534, 65_535]);
    }

    #[test]
    fn bad_specs() {
        for spec in [
            "", "0", "65536", "22,,80", "http", "1-2-3", "80,", "-0", "99999-",
        ] {
            let e = parse_ports(spec);
            assert!(e.is_err(), "{spec:?} accepted: {e:?}");
        }
        let e = parse_ports("22,x").unwrap_err().to_string();
        assert!(e.contains("item `x`"), "{e}");
    }

    #[test]
    fn top_list() {
        let ten = top_ports(10).unwrap();
        assert_eq!(ten.len(), 10);
        assert_eq!(ten[0], 80);
        assert!(ten.contains(&22) && ten.contains(&443));
        assert!(top_ports(0).is_err());
        assert!(top_ports(TOP_ORDER.len()).is_ok());
        assert!(top_ports(TOP_ORDER.len() + 1).is_err());
    }
}
