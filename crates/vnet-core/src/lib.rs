//! vnet-core
