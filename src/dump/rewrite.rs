//! A second chance for DDL that sqlparser 0.64 rejects: drop the clauses that do not affect the
//! schema model, then parse the remaining tokens again.
//!
//! Only token filtering lives here. Everything removed is storage or enforcement detail
//! (`USING heap`, `TABLESPACE`, `WITH (fillfactor=..)`, `INCLUDE (..)`, `NO INHERIT`, column
//! `STORAGE`/`COMPRESSION`, `ON DELETE SET NULL (cols)`, `WITHOUT OVERLAPS`, `PERIOD`), never a
//! column, a type or a key column, so the model built from the rewritten text is the same one
//! the original would give. The original text is what the dump writer emits either way.

use sqlparser::ast::Statement;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, Tokenizer};

/// Parses one statement, retrying once with the simplified token stream. `None` when neither
/// yields exactly one statement.
pub(crate) fn parse_one(sql: &str) -> Option<Statement> {
    let dialect = PostgreSqlDialect {};
    if let Ok(mut statements) = Parser::parse_sql(&dialect, sql) {
        if statements.len() == 1 {
            return statements.pop();
        }
        return None;
    }
    let tokens = Tokenizer::new(&dialect, sql).tokenize().ok()?;
    let mut statements = Parser::new(&dialect)
        .with_tokens(simplify(tokens))
        .parse_statements()
        .ok()?;
    if statements.len() == 1 {
        statements.pop()
    } else {
        None
    }
}

fn is_kw(token: Option<&Token>, kw: &str) -> bool {
    matches!(token, Some(Token::Word(w)) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(kw))
}

fn is_word(token: Option<&Token>) -> bool {
    matches!(token, Some(Token::Word(_)))
}

/// Index just past the parenthesised group opening at `open`, or the end of input.
fn skip_group(tokens: &[Token], open: usize) -> usize {
    let mut depth = 0usize;
    for (i, token) in tokens.iter().enumerate().skip(open) {
        match token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    tokens.len()
}

/// Removes schema-irrelevant clauses that sqlparser 0.64 does not know; see the module doc.
pub(crate) fn simplify(tokens: Vec<Token>) -> Vec<Token> {
    let tokens: Vec<Token> = tokens
        .into_iter()
        .filter(|t| !matches!(t, Token::Whitespace(_)))
        .collect();
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let at = |k: usize| tokens.get(i + k);
        let prev = out.last();
        // A word right after `(`, `,`, ADD or COLUMN starts a column definition and may be a
        // column named like one of the clauses below (`storage text`), so it is never dropped.
        let column_start = matches!(prev, Some(Token::Comma | Token::LParen))
            || is_kw(prev, "ADD")
            || is_kw(prev, "COLUMN");
        let set_action = (is_kw(prev, "NULL") || is_kw(prev, "DEFAULT"))
            && is_kw(out.iter().rev().nth(1), "SET");
        if column_start && !is_kw(at(0), "PERIOD") {
            out.push(tokens[i].clone());
            i += 1;
        } else if is_kw(at(0), "WITH") && at(1) == Some(&Token::LParen) && !is_kw(prev, "VALUES") {
            // `WITH (...)` storage parameters, not hash bounds `FOR VALUES WITH (modulus ..)`.
            i = skip_group(&tokens, i + 1);
        } else if is_kw(at(0), "INCLUDE") && at(1) == Some(&Token::LParen) {
            i = skip_group(&tokens, i + 1);
        } else if set_action && at(0) == Some(&Token::LParen) {
            // `ON DELETE SET NULL (cols)` (PostgreSQL 15) names columns already in the key.
            i = skip_group(&tokens, i);
        } else if is_kw(at(0), "USING") && is_kw(at(1), "INDEX") && is_kw(at(2), "TABLESPACE") {
            i += 4;
        } else if (is_kw(at(0), "USING")
            && !is_kw(at(1), "INDEX")
            && is_word(at(1))
            && at(2) != Some(&Token::LParen))
            || is_kw(at(0), "TABLESPACE")
            || is_kw(at(0), "STORAGE")
            || is_kw(at(0), "COMPRESSION")
            || ((is_kw(at(0), "WITH") || is_kw(at(0), "WITHOUT")) && is_kw(at(1), "OIDS"))
            || (is_kw(at(0), "NO") && is_kw(at(1), "INHERIT"))
            || (is_kw(at(0), "WITHOUT") && is_kw(at(1), "OVERLAPS"))
        {
            i += 2;
        } else if is_kw(at(0), "PERIOD")
            && matches!(prev, Some(Token::Comma | Token::LParen))
            && is_word(at(1))
        {
            i += 1;
        } else if is_kw(at(0), "GENERATED")
            && is_kw(at(1), "ALWAYS")
            && is_kw(at(2), "AS")
            && at(3) == Some(&Token::LParen)
        {
            // PostgreSQL 18 virtual generated columns: sqlparser insists on STORED, and both
            // kinds are equally absent from the data, so the difference does not matter here.
            let end = skip_group(&tokens, i + 3);
            out.extend(tokens[i..end].iter().cloned());
            out.push(Token::make_keyword("STORED"));
            i = end
                + usize::from(
                    is_kw(tokens.get(end), "VIRTUAL") || is_kw(tokens.get(end), "STORED"),
                );
        } else {
            out.push(tokens[i].clone());
            i += 1;
        }
    }
    out
}
