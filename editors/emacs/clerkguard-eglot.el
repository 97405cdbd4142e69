;;; clerkguard-eglot.el --- clerkguard language server for Eglot  -*- lexical-binding: t; -*-

;; Works with Eglot 1.9+ (Debian 12's elpa-eglot; built into Emacs 29+).
;;
;;   (add-to-list 'load-path "/path/to/clerkguard/editors/emacs")
;;   (require 'clerkguard-eglot)
;;   (clerkguard-eglot-register)              ; clerkguard for JS/TS buffers
;;   (add-hook 'typescript-ts-mode-hook #'eglot-ensure)  ; etc.
;;
;; Eglot runs one server per buffer: registering clerkguard replaces typescript-language-server
;; for these modes.  See editors/emacs.md for running both.

;;; Code:

(require 'eglot)
(require 'cl-lib)

(defgroup clerkguard nil
  "Clerk authentication checks for Next.js apps."
  :group 'tools
  :prefix "clerkguard-")

(defcustom clerkguard-command '("clerkguard" "lsp")
  "Command line that starts the clerkguard language server."
  :type '(repeat string))

(defcustom clerkguard-settings
  '(:enable t :run "onType" :diagnostics (:scope "workspace") :rules #s(hash-table test equal data ()))
  "Settings sent to the server (`initializationOptions' and, under `clerkguard',
`workspace/didChangeConfiguration').  Keys mirror the VS Code extension's settings:
:enable, :run (\"onType\"|\"onSave\"), :diagnostics (:scope \"workspace\"|\"openFiles\"),
:configPath, :rules (a plist or hash table: rule-id -> \"off\"|\"hint\"|\"warn\"|\"error\")."
  :type 'plist)

(defcustom clerkguard-major-modes
  '(js-mode js-jsx-mode js-ts-mode js2-mode rjsx-mode typescript-mode typescript-ts-mode tsx-ts-mode)
  "Major modes that clerkguard serves."
  :type '(repeat symbol))

(defun clerkguard-eglot-contact (&optional _interactive)
  "The Eglot contact for clerkguard: the command plus initialization options."
  (append clerkguard-command (list :initializationOptions clerkguard-settings)))

;;;###autoload
(defun clerkguard-eglot-register ()
  "Use clerkguard as the Eglot server for `clerkguard-major-modes'.
Also sends `clerkguard-settings' as workspace configuration."
  (add-to-list 'eglot-server-programs (cons clerkguard-major-modes #'clerkguard-eglot-contact))
  (setq-default eglot-workspace-configuration
                (cons (cons :clerkguard clerkguard-settings)
                      (cl-remove :clerkguard (default-value 'eglot-workspace-configuration)
                                 :key (lambda (x) (and (consp x) (car x)))))))

;;;###autoload
(defun clerkguard-fix-all ()
  "Apply all safe clerkguard fixes in this buffer (the `source.fixAll.clerkguard' action)."
  (interactive)
  (eglot-code-actions (point-min) (point-max) "source.fixAll.clerkguard" t))

;;;###autoload
(defun clerkguard-fix-all-command ()
  "Ask the server to fix this buffer through the `clerkguard.fixAll' command."
  (interactive)
  (eglot-execute-command (eglot--current-server-or-lose) 'clerkguard.fixAll
                         (vector (eglot--path-to-uri (buffer-file-name)))))

(provide 'clerkguard-eglot)
;;; clerkguard-eglot.el ends here
