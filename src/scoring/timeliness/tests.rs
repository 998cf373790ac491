//! Worked examples over whole incidents, with the arithmetic beside each expected score, and
//! property checks over generated incidents.

mod combination;
mod fixtures;
mod properties;
mod replies_and_etas;
mod worked_examples;
