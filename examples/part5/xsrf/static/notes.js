// The _xsrf cookie is not httponly, so this page's own scripts can read it.
// Scripts of other sites cannot: the browser keeps each site's cookies apart.
function xsrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)_xsrf=([^;]*)/);
  return match ? decodeURIComponent(match[1]) : "";
}

async function deleteNote(item) {
  const response = await fetch(`/notes/${item.dataset.id}`, {
    method: "DELETE",
    headers: { "X-XSRFToken": xsrfToken() },
  });
  if (response.ok) {
    item.remove();
  }
}

document.getElementById("notes").addEventListener("click", (event) => {
  if (event.target.matches("button.delete")) {
    deleteNote(event.target.closest("li"));
  }
});
