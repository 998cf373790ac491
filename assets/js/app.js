/*
 * Debrief — progressive enhancement (no dependencies, no globals).
 * Loaded with <script src="/assets/js/app.js" defer>. Every page works without it.
 *
 *   <form data-confirm="Delete this item?">   confirm() before submitting
 *     (also honoured on a submit button: <button data-confirm="…">)
 *   <button data-copy="#token" data-copied="Copied">Copy</button>
 *                                             copy the target's text/value
 *   <select data-autosubmit>                  submit the form on change
 *   <button type="button" data-dismiss>       hide the enclosing .flash
 */
(function () {
  'use strict';

  var doc = document;
  doc.documentElement.classList.add('js');

  var live = null;
  function announce(text) {
    if (!live) {
      live = doc.createElement('div');
      live.className = 'visually-hidden';
      live.setAttribute('role', 'status');
      live.setAttribute('aria-live', 'polite');
      doc.body.appendChild(live);
    }
    live.textContent = '';
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  function closestEl(target, selector) {
    return target instanceof Element ? target.closest(selector) : null;
  }

  // (a) confirmation before submit
  doc.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var submitter = event.submitter;
    var message = (submitter && submitter.getAttribute('data-confirm')) ||
      form.getAttribute('data-confirm');
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // (b) copy to clipboard
  function fallbackCopy(text) {
    var area = doc.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'visually-hidden';
    doc.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = doc.execCommand('copy'); } catch (e) { ok = false; }
    doc.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error('copy failed'));
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); });
    }
    return fallbackCopy(text);
  }

  function selectContents(node) {
    if (typeof node.select === 'function') { node.select(); return; }
    var range = doc.createRange();
    range.selectNodeContents(node);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }

  function handleCopy(button) {
    var target = null;
    try { target = doc.querySelector(button.getAttribute('data-copy')); } catch (e) { target = null; }
    if (!target) return;
    var isField = target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement;
    var text = (isField ? target.value : target.textContent).trim();

    copyText(text).then(function () {
      var done = button.getAttribute('data-copied');
      if (!done) return;
      if (!button.hasAttribute('data-label')) button.setAttribute('data-label', button.textContent);
      button.textContent = done;
      announce(done);
      window.clearTimeout(Number(button.getAttribute('data-timer')) || 0);
      var timer = window.setTimeout(function () {
        button.textContent = button.getAttribute('data-label');
        button.removeAttribute('data-timer');
      }, 2000);
      button.setAttribute('data-timer', String(timer));
    }, function () {
      // Clipboard unavailable: select the text so the user can copy it manually.
      selectContents(target);
    });
  }

  // (d) dismiss flash messages
  function handleDismiss(button) {
    var flash = button.closest('.flash');
    if (!flash) return;
    flash.hidden = true;
    var main = doc.getElementById('main');
    if (main) main.focus({ preventScroll: true });
  }

  doc.addEventListener('click', function (event) {
    var copyButton = closestEl(event.target, '[data-copy]');
    if (copyButton) {
      event.preventDefault();
      handleCopy(copyButton);
      return;
    }
    var dismissButton = closestEl(event.target, '[data-dismiss]');
    if (dismissButton) {
      event.preventDefault();
      handleDismiss(dismissButton);
    }
  });

  // (c) auto-submit selects
  doc.addEventListener('change', function (event) {
    var select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.hasAttribute('data-autosubmit')) return;
    var form = select.form;
    if (!form) return;
    if (typeof form.requestSubmit === 'function') form.requestSubmit();
    else form.submit();
  });
})();
