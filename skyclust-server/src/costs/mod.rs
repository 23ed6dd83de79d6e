//! Cost analysis. [`metering`] turns a VM's status history into what it cost per UTC day; the
//! price catalog and the `/cost-analysis` operations build on it.

pub mod metering;
