/* The printable hearing package's one control: print. No inline script (CSP). */
document.getElementById('print')?.addEventListener('click', () => window.print());
