//! Rule documentation pages (`docs/rules/<id>.md`), generated from rule metadata.
