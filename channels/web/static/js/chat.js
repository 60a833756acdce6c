// The chat page: sends messages to the web app (never to Rasa directly) and draws the replies.
// The transcript lives only in the DOM: nothing is kept in browser storage.
(function () {
  "use strict";

  const form = document.getElementById("chat-form");
  const input = document.getElementById("chat-input");
  const sendButton = document.getElementById("chat-send");
  const transcript = document.getElementById("transcript");
  const typing = document.getElementById("typing");
  const errorBox = document.getElementById("chat-error");
  const counter = document.getElementById("chat-count");
  const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
  const maxChars = Number(input.getAttribute("maxlength"));
  let busy = false;

  function appendText(container, text) {
    text.split(/\n{2,}/).forEach(function (block) {
      const paragraph = document.createElement("p");
      block.split("\n").forEach(function (line, index) {
        if (index > 0) {
          paragraph.appendChild(document.createElement("br"));
        }
        paragraph.appendChild(document.createTextNode(line));
      });
      container.appendChild(paragraph);
    });
  }

  function addMessage(who) {
    const item = document.createElement("li");
    item.className = "message message--" + who;
    const label = document.createElement("p");
    label.className = "message__who";
    label.textContent = who === "user" ? "You" : "Assistant";
    const body = document.createElement("div");
    body.className = "message__body";
    item.append(label, body);
    transcript.appendChild(item);
    return body;
  }

  function addCitations(body, citations) {
    const wrapper = document.createElement("p");
    wrapper.className = "citations";
    wrapper.appendChild(document.createTextNode("From the protocol: "));
    citations.forEach(function (citation, index) {
      if (index > 0) {
        wrapper.appendChild(document.createTextNode("; "));
      }
      if (citation.url) {
        const link = document.createElement("a");
        link.href = citation.url;
        link.textContent = citation.label;
        link.target = "_blank";
        link.rel = "noopener";
        link.setAttribute("aria-label", citation.label + " (opens in a new tab)");
        wrapper.appendChild(link);
      } else {
        wrapper.appendChild(document.createTextNode(citation.label));
      }
    });
    body.appendChild(wrapper);
  }

  function addButtons(body, buttons) {
    const group = document.createElement("div");
    group.className = "choices";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Choose an answer");
    buttons.forEach(function (choice) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button button--choice";
      button.textContent = choice.title;
      button.addEventListener("click", function () {
        send(choice.payload, choice.title, true);
      });
      group.appendChild(button);
    });
    body.appendChild(group);
    return group;
  }

  function retireOldChoices() {
    transcript.querySelectorAll(".choices button").forEach(function (button) {
      button.disabled = true;
    });
  }

  function showError(message, loginUrl) {
    errorBox.textContent = message + " ";
    if (loginUrl) {
      const link = document.createElement("a");
      link.href = loginUrl;
      link.textContent = "Sign in again";
      errorBox.appendChild(link);
    }
    errorBox.hidden = false;
  }

  function setBusy(value) {
    busy = value;
    typing.hidden = !value;
    sendButton.disabled = value;
    transcript.parentElement.setAttribute("aria-busy", value ? "true" : "false");
  }

  function render(replies) {
    let firstChoice = null;
    replies.forEach(function (reply) {
      const body = addMessage("bot");
      if (reply.text) {
        appendText(body, reply.text);
      }
      if (reply.citations && reply.citations.length) {
        addCitations(body, reply.citations);
      }
      if (reply.buttons && reply.buttons.length) {
        const group = addButtons(body, reply.buttons);
        firstChoice = firstChoice || group.querySelector("button");
      }
    });
    if (!replies.length) {
      appendText(addMessage("bot"), "(No reply. Try rephrasing, or say “help”.)");
    }
    return firstChoice;
  }

  async function send(message, shownAs, fromChoice) {
    if (busy) {
      return;
    }
    errorBox.hidden = true;
    retireOldChoices();
    appendText(addMessage("user"), shownAs);
    setBusy(true);
    let focusTarget = input;
    try {
      const response = await fetch(form.dataset.endpoint, {
        method: "POST",
        credentials: "same-origin",
        cache: "no-store",
        headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken},
        body: JSON.stringify({message: message})
      });
      let data = {};
      try {
        data = await response.json();
      } catch (ignored) {
        data = {};
      }
      if (!response.ok) {
        showError(data.error || "Something went wrong (" + response.status + ").",
                  response.status === 401 ? (data.login || form.dataset.login) : null);
      } else {
        const firstChoice = render(data.replies || []);
        if (fromChoice && firstChoice) {
          focusTarget = firstChoice;
        }
      }
    } catch (networkError) {
      showError("The web app could not be reached, so your message was not sent. Check your connection and try again.");
    } finally {
      setBusy(false);
      focusTarget.focus();
      transcript.lastElementChild.scrollIntoView({block: "nearest"});
    }
  }

  function updateCounter() {
    counter.textContent = input.value.length.toLocaleString("en-GB") + " of " +
      maxChars.toLocaleString("en-GB") + " characters";
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) {
      showError("Type a message first.");
      input.focus();
      return;
    }
    if (text.length > maxChars) {
      showError("Messages can be at most " + maxChars.toLocaleString("en-GB") + " characters.");
      return;
    }
    input.value = "";
    updateCounter();
    send(text, text, false);
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  input.addEventListener("input", updateCounter);
}());
