//! Text for a terminal. Rule names, subjects and user agents are attacker-controlled: before
//! text reaches a terminal, control characters (escape sequences could recolour, hide or
//! rewrite lines) are shown as visible escapes instead of being interpreted.

/// `text` with control and bidi/format characters escaped; newlines kept.
pub(crate) fn inert_for_terminal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        // Control characters, and the bidi and other format characters that can make a rule
        // name read differently from what it is (U+202E, U+2066..U+2069, zero-width ones).
        let format_character = matches!(character, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}');
        if (character.is_control() && character != '\n') || format_character {
            out.extend(character.escape_unicode());
        } else {
            out.push(character);
        }
    }
    out
}

/// A field printed on one line (a subject, a mailbox): its own newlines are shown escaped, so
/// a hostile subject cannot fake another line of the listing.
pub(crate) fn one_line(text: &str) -> String {
    text.replace('\n', "\\n")
}

/// Writes `text` made inert.
pub(crate) fn write_inert(out: &mut dyn std::io::Write, text: &str) -> Result<(), String> {
    out.write_all(inert_for_terminal(text).as_bytes())
        .map_err(|e| e.to_string())
}

/// Pretty JSON with a closing newline.
pub(crate) fn json(value: &impl serde::Serialize) -> Result<String, String> {
    Ok(serde_json::to_string_pretty(value).map_err(|e| e.to_string())? + "\n")
}

#[cfg(test)]
mod tests {
    #[test]
    fn terminal_output_shows_escape_sequences_instead_of_running_them() {
        let hostile = "rule \u{1b}[2J\u{1b}]0;pwned\u{7}name\r\nnext\u{202E}txt";
        let inert = super::inert_for_terminal(hostile);
        assert!(
            !inert.chars().any(|c| c.is_control() && c != '\n'),
            "{inert:?}"
        );
        assert!(inert.contains("\\u{1b}[2J"), "{inert}");
        assert!(inert.contains("\\u{202e}"), "{inert}");
        assert!(inert.contains("\nnext"));
    }

    #[test]
    fn one_line_fields_cannot_start_a_new_line() {
        let subject = "Invoice\nt-1:u-2:AAMk  fake line";
        let shown = super::inert_for_terminal(&super::one_line(subject));
        assert!(!shown.contains('\n'), "{shown}");
        assert!(shown.contains("Invoice\\nt-1"), "{shown}");
    }
}
