//! Conditions under which the middleware handler rejects a request, in disjunctive normal form.

use crate::matcher::Match;

/// One atom of a condition, seen from a signed-out request to some path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lit {
    /// `isX(req)` (positive) or `!isX(req)` for route list `list`.
    Route { list: usize, positive: bool },
    /// `userId` / `isAuthenticated` truthy (`signed_in: true`) or falsy.
    SignedIn(bool),
    /// Anything else (`req.method === "POST"`, a role check): may be true or false.
    Opaque,
}

impl Lit {
    fn negate(self) -> Lit {
        match self {
            Lit::Route { list, positive } => Lit::Route { list, positive: !positive },
            Lit::SignedIn(b) => Lit::SignedIn(!b),
            Lit::Opaque => Lit::Opaque,
        }
    }
}

/// Three-valued truth.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Truth {
    True,
    False,
    Unknown,
}

/// An OR of ANDs. `[]` is false, `[[]]` is true.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Dnf(pub Vec<Vec<Lit>>);

/// Beyond this many conjunctions a condition is given up on (treated as opaque).
const MAX_TERMS: usize = 32;

impl Dnf {
    pub fn always() -> Dnf {
        Dnf(vec![Vec::new()])
    }

    pub fn lit(lit: Lit) -> Dnf {
        Dnf(vec![vec![lit]])
    }

    pub fn opaque() -> Dnf {
        Dnf::lit(Lit::Opaque)
    }

    pub fn and(&self, other: &Dnf) -> Dnf {
        let mut out = Vec::new();
        for a in &self.0 {
            for b in &other.0 {
                let mut conj = a.clone();
                for lit in b {
                    if !conj.contains(lit) {
                        conj.push(*lit);
                    }
                }
                // `x && !x` is false (opaque atoms are distinct, so they never cancel).
                let contradictory = conj.iter().any(|l| *l != Lit::Opaque && conj.contains(&l.negate()));
                if !contradictory {
                    out.push(conj);
                }
            }
        }
        Dnf(out).capped()
    }

    pub fn or(&self, other: &Dnf) -> Dnf {
        let mut out = self.0.clone();
        out.extend(other.0.iter().cloned());
        Dnf(out).capped()
    }

    /// De Morgan: `!(a && b || c)` = `(!a || !b) && !c`.
    pub fn not(&self) -> Dnf {
        let mut result = Dnf::always();
        for conj in &self.0 {
            let negated = Dnf(conj.iter().map(|l| vec![l.negate()]).collect());
            result = result.and(&negated);
        }
        result
    }

    fn capped(self) -> Dnf {
        if self.0.len() > MAX_TERMS { Dnf::opaque() } else { self }
    }

    /// Whether any term requires a signed-out request.
    pub fn requires_signed_out(&self) -> bool {
        !self.0.is_empty() && self.0.iter().all(|c| c.contains(&Lit::SignedIn(false)))
    }

    /// Evaluates the condition for a signed-out request, given how each route list answers.
    pub fn eval(&self, list_match: &dyn Fn(usize) -> Match) -> Truth {
        let mut result = Truth::False;
        for conj in &self.0 {
            let mut value = Truth::True;
            for lit in conj {
                let lit_value = match *lit {
                    Lit::Route { list, positive } => match (list_match(list), positive) {
                        (Match::Yes, true) | (Match::No, false) => Truth::True,
                        (Match::No, true) | (Match::Yes, false) => Truth::False,
                        _ => Truth::Unknown,
                    },
                    Lit::SignedIn(signed_in) => {
                        if signed_in {
                            Truth::False
                        } else {
                            Truth::True
                        }
                    }
                    Lit::Opaque => Truth::Unknown,
                };
                value = match (value, lit_value) {
                    (Truth::False, _) | (_, Truth::False) => Truth::False,
                    (Truth::Unknown, _) | (_, Truth::Unknown) => Truth::Unknown,
                    _ => Truth::True,
                };
            }
            result = match (result, value) {
                (Truth::True, _) | (_, Truth::True) => return Truth::True,
                (Truth::Unknown, _) | (_, Truth::Unknown) => Truth::Unknown,
                _ => Truth::False,
            };
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn de_morgan_and_evaluation() {
        let public = Dnf::lit(Lit::Route { list: 0, positive: true });
        let signed_out = Dnf::lit(Lit::SignedIn(false));
        let cond = public.not().and(&signed_out);
        assert_eq!(cond.eval(&|_| Match::Yes), Truth::False);
        assert_eq!(cond.eval(&|_| Match::No), Truth::True);
        assert_eq!(cond.eval(&|_| Match::Unknown), Truth::Unknown);
        let both =
            Dnf::lit(Lit::Route { list: 0, positive: true }).or(&Dnf::lit(Lit::Route { list: 1, positive: true }));
        let neither = both.not();
        assert_eq!(neither.0.len(), 1);
        assert_eq!(neither.eval(&|l| if l == 1 { Match::Yes } else { Match::No }), Truth::False);
        assert_eq!(public.and(&public.not()).0.len(), 0);
    }
}
