;;; eglot-e2e.el --- clerkguard end-to-end test through Emacs + Eglot  -*- lexical-binding: t; -*-
;;
;;   FIXTURE=dir CLERKGUARD_BIN=path EDITORS_DIR=repo/editors emacs --batch -q -l eglot-e2e.el
;;
;; Use -q, not -Q: Debian's site-start activates the elpa-eglot package.
;; Prints "ok - <case>" / "not ok - <case>: <why>" per case (also appended to $E2E_RESULTS),
;; exits 1 when a case failed.

(package-initialize)
(require 'eglot)
(require 'flymake)
(require 'cl-lib)

(defvar e2e-fixture (or (getenv "FIXTURE") (error "FIXTURE not set")))
(defvar e2e-timeout (/ (string-to-number (or (getenv "E2E_TIMEOUT_MS") "20000")) 1000.0))
(defvar e2e-passed 0)
(defvar e2e-failed 0)

(defun e2e-out (s)
  (princ (concat s "\n"))
  (when (and (getenv "E2E_RESULTS") (not (string-prefix-p "#" s)))
    (write-region (concat (car (split-string s "\n")) "\n") nil (getenv "E2E_RESULTS") t 'silent)))

(define-error 'e2e-fail "e2e failure")
(defun e2e-fail (fmt &rest args) (signal 'e2e-fail (list (apply #'format fmt args))))

(defmacro e2e-case (name &rest body)
  (declare (indent 1))
  `(condition-case err
       (progn ,@body (cl-incf e2e-passed) (e2e-out (concat "ok - " ,name)))
     (error (cl-incf e2e-failed)
            (e2e-out (format "not ok - %s: %s" ,name
                             (replace-regexp-in-string
                              "\n" "\n#   "
                              (if (eq (car err) 'e2e-fail) (cadr err) (error-message-string err))))))))

;; Emacs 28 has no TypeScript mode; a stand-in whose name gives languageId "typescript".
(unless (fboundp 'typescript-mode)
  (define-derived-mode typescript-mode prog-mode "TS"))
(add-to-list 'auto-mode-alist '("\\.[cm]?tsx?\\'" . typescript-mode))

;; The same setup editors/emacs.md documents.
(add-to-list 'load-path (expand-file-name "emacs" (getenv "EDITORS_DIR")))
(require 'clerkguard-eglot)
(setq clerkguard-command (list (getenv "CLERKGUARD_BIN") "lsp"))
(clerkguard-eglot-register)
(setq eglot-confirm-server-initiated-edits nil) ; no y-or-n-p in batch
(setq eglot-sync-connect e2e-timeout)
(setq eglot-send-changes-idle-time 0.05)
(setq make-backup-files nil create-lockfiles nil)

(e2e-out (format "# %s, eglot %s" (car (split-string (emacs-version) "\n"))
                 (or (ignore-errors (package-desc-version-string
                                     (cadr (assq 'eglot package-alist))))
                     "?")))

(defun e2e-wait (what pred)
  (let ((deadline (+ (float-time) e2e-timeout)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (when (bound-and-true-p flymake-mode) (flymake-start))
      (accept-process-output nil 0.05))
    (or (funcall pred) (e2e-fail "timed out after %.0f s waiting for %s" e2e-timeout what))))

(defun e2e-lsp-diag (d) (cdr (assoc 'eglot-lsp-diag (eglot--diag-data d))))

(defun e2e-diags (&optional code)
  (cl-remove-if-not
   (lambda (d)
     (let ((l (e2e-lsp-diag d)))
       (and l (equal (plist-get l :source) "clerkguard")
            (or (null code) (equal (format "%s" (plist-get l :code)) code)))))
   (flymake-diagnostics)))

(defun e2e-describe ()
  (let ((ds (flymake-diagnostics)))
    (if ds (mapconcat (lambda (d) (format "line %d: %s" (line-number-at-pos (min (point-max) (flymake-diagnostic-beg d)))
                                          (flymake-diagnostic-text d)))
                      ds "; ")
      "(no diagnostics)")))

(defun e2e-wait-diag (code)
  (let ((deadline (+ (float-time) e2e-timeout)))
    (while (and (null (e2e-diags code)) (< (float-time) deadline))
      (flymake-start)
      (accept-process-output nil 0.05))
    (or (car (e2e-diags code))
        (e2e-fail "no clerkguard %s diagnostic within %.0f s; buffer has: %s" code e2e-timeout (e2e-describe)))))

(defun e2e-open (rel)
  (find-file (expand-file-name rel e2e-fixture))
  (unless (eglot-current-server)
    (apply #'eglot (eglot--guess-contact)))
  (e2e-wait (concat "Eglot to manage " rel) (lambda () (eglot-managed-p))))

(defun e2e-titles (actions)
  (mapconcat (lambda (a) (format "[%s%s] %s" (plist-get a :kind)
                                 (if (eq (plist-get a :isPreferred) t) ", preferred" "")
                                 (plist-get a :title)))
             actions "; "))

(defun e2e-quickfixes-at (d)
  (eglot-code-actions (flymake-diagnostic-beg d) (flymake-diagnostic-end d) "quickfix"))

(defun e2e-apply-preferred (actions code)
  (let ((a (cl-find-if (lambda (a) (and (eq (plist-get a :isPreferred) t)
                                        (not (string-prefix-p "Ignore" (plist-get a :title)))))
                       actions)))
    (unless a (e2e-fail "no preferred quick-fix for %s among: %s" code (e2e-titles actions)))
    ;; Eglot's own executor (what M-x eglot-code-actions runs once an action is picked).
    (eglot--read-execute-code-action (list a) (eglot-current-server) "quickfix")))

(defun e2e-expect-text (want)
  (let ((got (buffer-substring-no-properties (point-min) (point-max))))
    (unless (equal got want)
      (e2e-fail "buffer text after the fix:\n%s--- expected:\n%s" got want))))

(defun e2e-wait-gone (code)
  (eglot--signal-textDocument/didChange)
  (condition-case nil
      (e2e-wait code (lambda () (null (e2e-diags code))))
    (e2e-fail (e2e-fail "%s still reported after the fix: %s" code (e2e-describe)))))

(defun e2e-check-fixed-all ()
  (let ((text (buffer-substring-no-properties (point-min) (point-max)))
        (problems nil))
    (when (string-match-p "clerkguard-ignore-next-line" text)
      (push "the unused suppression comment is still there" problems))
    (dolist (l (split-string text "\n"))
      (when (and (string-match-p "auth()" l) (not (string-match-p "await auth()" l)))
        (push (concat "auth() not awaited in: " l) problems)))
    (unless (string-match-p "export const x = 1;" text) (push "export const x = 1; was lost" problems))
    (let ((n (how-many "await auth()" (point-min) (point-max))))
      (unless (= n 2) (push (format "expected 2 awaited auth() calls, found %d" n) problems)))
    (when problems (e2e-fail "%s\n--- buffer:\n%s" (string-join (nreverse problems) "; ") text))))

;;; Cases

(defvar e2e-not-awaited-actions nil)

(e2e-case "diagnostics: auth-not-awaited reported in app/actions.ts (flymake)"
  (e2e-open "app/actions.ts")
  (let ((d (e2e-wait-diag "auth-not-awaited")))
    (unless (= (line-number-at-pos (flymake-diagnostic-beg d)) 4)
      (e2e-fail "expected line 4, got %d" (line-number-at-pos (flymake-diagnostic-beg d))))))

(e2e-case "quick-fix: auth-not-awaited inserts `await` (eglot-code-actions)"
  (let ((d (or (car (e2e-diags "auth-not-awaited")) (e2e-fail "no diagnostic (previous case failed)"))))
    (setq e2e-not-awaited-actions (e2e-quickfixes-at d))
    (e2e-apply-preferred e2e-not-awaited-actions "auth-not-awaited")
    (e2e-expect-text "\"use server\";
import { auth } from \"@clerk/nextjs/server\";
export async function save() {
  const { userId } = await auth();
  return userId;
}
")
    (e2e-wait-gone "auth-not-awaited")))

(e2e-case "code actions: \"Ignore auth-not-awaited for this line\" offered"
  (unless (cl-find-if (lambda (a) (string-prefix-p "Ignore auth-not-awaited" (plist-get a :title)))
                      e2e-not-awaited-actions)
    (e2e-fail "not among: %s" (e2e-titles e2e-not-awaited-actions))))

(e2e-case "quick-fix: suppression-unused removes the comment (lib/flags.ts)"
  (e2e-open "lib/flags.ts")
  (let ((d (e2e-wait-diag "suppression-unused")))
    (e2e-apply-preferred (e2e-quickfixes-at d) "suppression-unused")
    (e2e-expect-text "export const x = 1;\n")
    (e2e-wait-gone "suppression-unused")))

(e2e-case "clerkguard-fix-all (source.fixAll.clerkguard) fixes app/fixall_action.ts"
  (e2e-open "app/fixall_action.ts")
  (e2e-wait-diag "auth-not-awaited")
  (e2e-wait-diag "suppression-unused")
  (clerkguard-fix-all)
  (e2e-check-fixed-all)
  (e2e-wait-gone "auth-not-awaited"))

(e2e-case "clerkguard-fix-all-command (workspace/applyEdit) fixes app/fixall_command.ts"
  (e2e-open "app/fixall_command.ts")
  (e2e-wait-diag "auth-not-awaited")
  (e2e-wait-diag "suppression-unused")
  (clerkguard-fix-all-command)
  (e2e-wait "the server's edit" (lambda () (not (save-excursion (goto-char (point-min))
                                                              (search-forward "clerkguard-ignore" nil t)))))
  (e2e-check-fixed-all))

(let ((server (ignore-errors (eglot-current-server))))
  (when server (ignore-errors (eglot-shutdown server nil 5))))
(e2e-out (format "# %d passed, %d failed" e2e-passed e2e-failed))
(kill-emacs (if (= e2e-failed 0) 0 1))
