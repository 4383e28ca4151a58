/* placeholder: implemented by the core work in progress */
