//! Loaded kernel modules (kernel/module/): the list lsmod shows, and what
//! loading or unloading one does to the network (a tunnel module's fallback
//! devices). Resolving names, aliases and dependencies is kmod's job, in
//! userspace: the tools hand the kernel the resulting list.

use crate::world::World;

impl World {
    /// Records the loaded modules, oldest first, as a run of insmod/rmmod
    /// calls leaves them, without running any module's init or exit yet
    /// (kmod checks a whole run before committing it).
    pub fn modules_record(&mut self, mods: Vec<String>) {
        self.modules = mods;
    }

    /// Runs the init of every module recorded since the last call and the
    /// exit of every one dropped: tunnel modules add their fallback devices
    /// to each namespace, or take their devices away.
    pub fn modules_init(&mut self) {
        self.tunnel_modules_sync();
    }

    /// Loads one module if it is not loaded (request_module() for a device
    /// kind that needs it), running its init.
    pub fn module_load(&mut self, name: &str) {
        if !self.modules.iter().any(|m| m == name) {
            self.modules.push(name.to_string());
            self.tunnel_modules_sync();
        }
    }
}
