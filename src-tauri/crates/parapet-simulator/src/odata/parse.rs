//! Tokenizer and recursive-descent parser for the `$filter` subset.

use super::{CmpOp, Filter, Literal};

/// Parses a `$filter` value; the error text is safe to echo in a 400 response.
pub fn parse(input: &str) -> Result<Filter, String> {
    let tokens = tokenize(input)?;
    let mut p = Parser { tokens, pos: 0 };
    let f = p.or_expr()?;
    if p.pos != p.tokens.len() {
        return Err(format!(
            "Invalid filter clause: unexpected '{}'",
            p.tokens[p.pos].text()
        ));
    }
    Ok(f)
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Str(String),
    Open,
    Close,
    Comma,
    Colon,
}

impl Token {
    fn text(&self) -> String {
        match self {
            Token::Word(w) => w.clone(),
            Token::Str(s) => format!("'{s}'"),
            Token::Open => "(".into(),
            Token::Close => ")".into(),
            Token::Comma => ",".into(),
            Token::Colon => ":".into(),
        }
    }
}

fn tokenize(input: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let chars: Vec<char> = input.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                out.push(Token::Open);
                i += 1
            }
            ')' => {
                out.push(Token::Close);
                i += 1
            }
            ',' => {
                out.push(Token::Comma);
                i += 1
            }
            '\'' => {
                let mut s = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err("Invalid filter clause: unterminated string".into()),
                        Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                            s.push('\'');
                            i += 2
                        }
                        Some('\'') => {
                            i += 1;
                            break;
                        }
                        Some(ch) => {
                            s.push(*ch);
                            i += 1
                        }
                    }
                }
                out.push(Token::Str(s));
            }
            _ => {
                let start = i;
                while i < chars.len() && !matches!(chars[i], ' ' | '\t' | '(' | ')' | ',' | '\'') {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                // A lambda variable is written `t:` or `t:t eq ..`; a datetime keeps its colons
                // (its part before the first colon is not an identifier).
                let lambda_var = word.split_once(':').filter(|(var, _)| {
                    var.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                        && var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                });
                match lambda_var {
                    Some((var, rest)) => {
                        out.push(Token::Word(var.to_string()));
                        out.push(Token::Colon);
                        if !rest.is_empty() {
                            out.push(Token::Word(rest.to_string()));
                        }
                    }
                    None => out.push(Token::Word(word)),
                }
            }
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn peek_word(&self) -> Option<String> {
        match self.tokens.get(self.pos) {
            Some(Token::Word(w)) => Some(w.to_ascii_lowercase()),
            _ => None,
        }
    }

    fn expect(&mut self, t: Token) -> Result<(), String> {
        if self.tokens.get(self.pos) == Some(&t) {
            self.pos += 1;
            Ok(())
        } else {
            Err(format!("Invalid filter clause: expected '{}'", t.text()))
        }
    }

    fn or_expr(&mut self) -> Result<Filter, String> {
        let mut left = self.and_expr()?;
        while self.peek_word().as_deref() == Some("or") {
            self.pos += 1;
            left = Filter::Or(Box::new(left), Box::new(self.and_expr()?));
        }
        Ok(left)
    }

    fn and_expr(&mut self) -> Result<Filter, String> {
        let mut left = self.unary()?;
        while self.peek_word().as_deref() == Some("and") {
            self.pos += 1;
            left = Filter::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Filter, String> {
        if self.peek_word().as_deref() == Some("not") {
            self.pos += 1;
            return Ok(Filter::Not(Box::new(self.unary()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Filter, String> {
        match self.tokens.get(self.pos).cloned() {
            Some(Token::Open) => {
                self.pos += 1;
                let f = self.or_expr()?;
                self.expect(Token::Close)?;
                Ok(f)
            }
            Some(Token::Word(w)) => {
                self.pos += 1;
                let lower = w.to_ascii_lowercase();
                if self.tokens.get(self.pos) == Some(&Token::Open) {
                    if matches!(lower.as_str(), "startswith" | "endswith" | "contains") {
                        return self.function(lower);
                    }
                    if let Some(base) = lower.strip_suffix("/any").or(lower.strip_suffix("/all")) {
                        let path = split_path(&w[..base.len()]);
                        return self.lambda(path, lower.ends_with("/all"));
                    }
                    return Err(format!("Invalid filter clause: unsupported function '{w}'"));
                }
                let op = match self.peek_word().as_deref() {
                    Some("eq") => CmpOp::Eq,
                    Some("ne") => CmpOp::Ne,
                    Some("gt") => CmpOp::Gt,
                    Some("ge") => CmpOp::Ge,
                    Some("lt") => CmpOp::Lt,
                    Some("le") => CmpOp::Le,
                    _ => {
                        return Err(format!(
                            "Invalid filter clause: expected an operator after '{w}'"
                        ))
                    }
                };
                self.pos += 1;
                let lit = self.literal()?;
                Ok(Filter::Cmp {
                    path: split_path(&w),
                    op,
                    lit,
                })
            }
            Some(t) => Err(format!("Invalid filter clause: unexpected '{}'", t.text())),
            None => Err("Invalid filter clause: unexpected end".into()),
        }
    }

    fn literal(&mut self) -> Result<Literal, String> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        match t {
            Some(Token::Str(s)) => Ok(Literal::Str(s)),
            Some(Token::Word(w)) => Ok(match w.to_ascii_lowercase().as_str() {
                "true" => Literal::Bool(true),
                "false" => Literal::Bool(false),
                "null" => Literal::Null,
                _ => Literal::Bare(w),
            }),
            _ => Err("Invalid filter clause: expected a value".into()),
        }
    }

    fn function(&mut self, name: String) -> Result<Filter, String> {
        self.expect(Token::Open)?;
        let path = match self.tokens.get(self.pos).cloned() {
            Some(Token::Word(w)) => split_path(&w),
            _ => return Err(format!("Invalid filter clause: {name} needs a property")),
        };
        self.pos += 1;
        self.expect(Token::Comma)?;
        let arg = match self.literal()? {
            Literal::Str(s) | Literal::Bare(s) => s,
            _ => return Err(format!("Invalid filter clause: {name} needs a string")),
        };
        self.expect(Token::Close)?;
        Ok(Filter::Func { name, path, arg })
    }

    fn lambda(&mut self, path: Vec<String>, all: bool) -> Result<Filter, String> {
        self.expect(Token::Open)?;
        let var = match self.tokens.get(self.pos).cloned() {
            Some(Token::Word(w)) => w,
            _ => return Err("Invalid filter clause: lambda needs a variable".into()),
        };
        self.pos += 1;
        self.expect(Token::Colon)?;
        let body = self.or_expr()?;
        self.expect(Token::Close)?;
        Ok(Filter::Lambda {
            path,
            all,
            var,
            body: Box::new(body),
        })
    }
}

fn split_path(w: &str) -> Vec<String> {
    w.split('/').map(String::from).collect()
}
