//! Keeps the embedded runtime's program logs off the terminal.
//!
//! Programs registered natively in solana-program-test log with `msg!`, which off the SBF target
//! is a `println!` (solana-msg): every instruction would print `Instruction: ...` on stdout. The
//! demo's report is printed after the run, so stdout (file descriptor 1) points at `/dev/null`
//! while the runtime runs and is restored before the report; stderr (the progress bar and
//! errors) is untouched.
use std::io::Write;

/// While alive, whatever is written to stdout is discarded. Restores stdout when dropped.
pub struct SilencedStdout {
    #[cfg(unix)]
    saved: libc::c_int,
}

impl SilencedStdout {
    /// Points stdout at `/dev/null` (on Unix; elsewhere a no-op).
    pub fn new() -> std::io::Result<Self> {
        std::io::stdout().flush()?;
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            let devnull = std::fs::OpenOptions::new().write(true).open("/dev/null")?;
            // SAFETY: dup and dup2 on file descriptors this process owns; no memory is shared.
            let saved = unsafe { libc::dup(libc::STDOUT_FILENO) };
            if saved < 0 {
                return Err(std::io::Error::last_os_error());
            }
            // SAFETY: as above; `devnull` stays open for the call, dup2 takes its own reference.
            if unsafe { libc::dup2(devnull.as_raw_fd(), libc::STDOUT_FILENO) } < 0 {
                let e = std::io::Error::last_os_error();
                // SAFETY: `saved` is the descriptor dup returned above.
                unsafe { libc::close(saved) };
                return Err(e);
            }
            Ok(SilencedStdout { saved })
        }
        #[cfg(not(unix))]
        Ok(SilencedStdout {})
    }
}

impl Drop for SilencedStdout {
    fn drop(&mut self) {
        let _ = std::io::stdout().flush();
        #[cfg(unix)]
        // SAFETY: restores the descriptor saved in `new` and closes the copy.
        unsafe {
            libc::dup2(self.saved, libc::STDOUT_FILENO);
            libc::close(self.saved);
        }
    }
}
