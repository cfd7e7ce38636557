// The customer's lockbox page runs only this file (Content-Security-Policy: script-src 'self').
// The policy form: the environment check boxes count only for the scope "selected environments",
// so they are active only while that scope is chosen. The server renders the same state, so the
// page reads right before (and without) this script.
document.addEventListener('DOMContentLoaded', function () {
  var form = document.getElementById('policy-form');
  var selected = document.getElementById('selected-environments');
  if (!form || !selected) {
    return;
  }
  function update() {
    var scope = form.querySelector('input[name=scope]:checked');
    selected.disabled = !scope || scope.value !== 'SELECTED';
  }
  form.querySelectorAll('input[name=scope]').forEach(function (radio) {
    radio.addEventListener('change', update);
  });
  update();
});
