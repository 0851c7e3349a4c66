// The XSRF cookie (named __Host-xsrf here) is not httponly, so this page's own
// scripts can read it. Scripts of other sites cannot: each site sees its own cookies.
function xsrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)__Host-xsrf=([^;]*)/);
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
