//! Finds the flow collection (`{…}` or `[…]`) still open where the parser gave up: the parser
//! notices a missing `}` or `]` lines later, but the planner's mistake is where it opened.
//!
//! A light scan, not a parser: it knows quotes, comments and that in block context a bracket
//! only opens a collection at the start of a value (`name: a[1]` is text). It runs only after
//! the real parser has failed, to point at a better place.

/// An opening bracket that is still open: the bracket and its 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Open {
    /// `{` or `[`.
    pub bracket: char,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

impl Open {
    /// The bracket that closes it.
    #[must_use]
    pub fn closer(self) -> char {
        if self.bracket == '{' { '}' } else { ']' }
    }

    /// "flow mapping" or "flow sequence".
    #[must_use]
    pub fn what(self) -> &'static str {
        if self.bracket == '{' {
            "flow mapping"
        } else {
            "flow sequence"
        }
    }
}

/// The innermost flow collection open at 1-based `line`:`column` of `text`, if any.
#[must_use]
pub fn open_at(text: &str, line: u32, column: u32) -> Option<Open> {
    let mut stack: Vec<Open> = Vec::new();
    for (i, l) in text.lines().enumerate() {
        let ln = u32::try_from(i + 1).ok()?;
        if ln > line {
            break;
        }
        let stop = if ln == line {
            column.saturating_sub(1) as usize
        } else {
            usize::MAX
        };
        scan_line(l, ln, stop, &mut stack);
    }
    stack.last().copied()
}

/// Scans one line up to character `stop`, opening and closing collections on `stack`.
fn scan_line(l: &str, ln: u32, stop: usize, stack: &mut Vec<Open>) {
    let chars: Vec<char> = l.chars().collect();
    let mut i = 0;
    // Whether a node may start here: line start, after `- `, `: `, `? `, `[`, `{` or `,`.
    let mut node_start = true;
    while i < chars.len() && i < stop {
        let c = chars[i];
        let before_space = i == 0 || chars[i - 1].is_whitespace();
        match c {
            ' ' | '\t' => {
                i += 1;
                continue;
            }
            '#' if before_space => return,
            '"' | '\'' if node_start => {
                i = skip_quoted(&chars, i, c);
                node_start = false;
                continue;
            }
            '{' | '[' if node_start || !stack.is_empty() => {
                stack.push(Open {
                    bracket: c,
                    line: ln,
                    column: u32::try_from(i + 1).unwrap_or(u32::MAX),
                });
                node_start = true;
            }
            '}' | ']' if !stack.is_empty() => {
                stack.pop();
                node_start = false;
            }
            ',' if !stack.is_empty() => node_start = true,
            '-' | '?' | ':' if chars.get(i + 1).is_none_or(|n| n.is_whitespace()) => {
                node_start = true;
            }
            _ => {
                node_start = false;
                // A plain scalar runs to the next indicator that can end it.
                while i + 1 < chars.len() && i + 1 < stop {
                    let n = chars[i + 1];
                    let ends = match n {
                        ':' => chars.get(i + 2).is_none_or(|x| x.is_whitespace()),
                        '#' => chars[i].is_whitespace(),
                        ',' | '}' | ']' | '{' | '[' => !stack.is_empty(),
                        _ => false,
                    };
                    if ends {
                        break;
                    }
                    i += 1;
                }
            }
        }
        i += 1;
    }
}

/// The index just past the quoted scalar opened by `quote` at `at` (or the line's end).
fn skip_quoted(chars: &[char], at: usize, quote: char) -> usize {
    let mut i = at + 1;
    while i < chars.len() {
        match chars[i] {
            '\\' if quote == '"' => i += 2,
            '\'' if quote == '\'' && chars.get(i + 1) == Some(&'\'') => i += 2,
            c if c == quote => return i + 1,
            _ => i += 1,
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(text: &str, line: u32, column: u32) -> Option<(char, u32, u32)> {
        open_at(text, line, column).map(|o| (o.bracket, o.line, o.column))
    }

    #[test]
    fn the_unclosed_mapping_on_an_earlier_line() {
        let t = "a:\n  r: {vcpu: 2, memory_gib: 4\n  effort: {app: 3}\n";
        assert_eq!(open(t, 3, 9), Some(('{', 2, 6)));
        // Closed on its own line: nothing is open on the next.
        let t = "a:\n  r: {vcpu: 2}\n  effort: {app: 3\n";
        assert_eq!(open(t, 3, 3), None);
    }

    #[test]
    fn the_innermost_sequence_or_mapping() {
        let t = "d: [{service: x, order: any}\n- id: y\n";
        assert_eq!(open(t, 2, 5), Some(('[', 1, 4)));
        let t = "d: [{service: x, order: any\n- id: y\n";
        assert_eq!(open(t, 2, 5), Some(('{', 1, 5)));
    }

    #[test]
    fn brackets_in_text_quotes_and_comments_open_nothing() {
        let t = "name: array[1] of {x\nn: 'it''s [ open'\nm: \"a \\\" [\" # [ {\nk: v\n";
        assert_eq!(open(t, 4, 1), None);
        let t = "name: Children's Home\nx: [a, 'b]', \"c}\"\ny: 1\n";
        assert_eq!(open(t, 3, 1), Some(('[', 2, 4)));
    }

    #[test]
    fn multi_line_flow_collections_that_close_are_not_open() {
        let t = "r: {vcpu: 2,\n  memory_gib: 4}\nnext: 1\n";
        assert_eq!(open(t, 3, 1), None);
        assert_eq!(open(t, 2, 3), Some(('{', 1, 4)));
    }
}
