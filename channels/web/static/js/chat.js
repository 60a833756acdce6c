// The chat page: sends messages to the web app (never to Rasa directly) and draws the replies.
// The transcript lives only in the DOM: nothing is kept in browser storage.
// A message the web app holds back for personal details (HTTP 422 with `personal_details`) is
// not in the transcript: its text goes back into the box, the warning says what kinds of detail
// were found, and "Send it as typed" sends the box's text again with `confirmed: true`.
(function () {
  "use strict";

  const form = document.getElementById("chat-form");
  const input = document.getElementById("chat-input");
  const sendButton = document.getElementById("chat-send");
  const transcript = document.getElementById("transcript");
  const typing = document.getElementById("typing");
  const errorBox = document.getElementById("chat-error");
  const counter = document.getElementById("chat-count");
  const detailsBox = document.getElementById("chat-details");
  const detailsText = document.getElementById("chat-details-text");
  const detailsSend = document.getElementById("chat-details-send");
  const describedBy = input.getAttribute("aria-describedby");
  const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
  const maxChars = Number(input.getAttribute("maxlength"));
  let busy = false;
  let held = null;  // the message held back for personal details: {message, shownAs, fromChoice}

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
        send(choice.payload, choice.title, true, false);
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

  function showDetails(message) {
    // "Not sent: ..." leads in bold; the rest as the web app wrote it
    const lead = /^Not sent:/.test(message) ? "Not sent:" : "";
    detailsText.textContent = "";
    if (lead) {
      const strong = document.createElement("strong");
      strong.textContent = lead;
      detailsText.appendChild(strong);
    }
    detailsText.appendChild(document.createTextNode(message.slice(lead.length)));
    detailsBox.hidden = false;
    input.setAttribute("aria-describedby", "chat-details-text " + describedBy);
  }

  function hideDetails() {
    held = null;
    detailsBox.hidden = true;
    input.setAttribute("aria-describedby", describedBy);
  }

  function putBack(text) {
    // The held text goes back into the box; anything typed meanwhile is kept after it.
    const typed = input.value.trim();
    input.value = typed && typed !== text ? text + "\n\n" + typed : text;
    updateCounter();
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

  async function send(message, shownAs, fromChoice, confirmed) {
    if (busy) {
      return;
    }
    errorBox.hidden = true;
    hideDetails();
    const sent = addMessage("user");
    appendText(sent, shownAs);
    setBusy(true);
    let focusTarget = input;
    let scrollTarget = null;
    try {
      const response = await fetch(form.dataset.endpoint, {
        method: "POST",
        credentials: "same-origin",
        cache: "no-store",
        headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken},
        body: JSON.stringify(confirmed ? {message: message, confirmed: true} : {message: message})
      });
      let data = {};
      try {
        data = await response.json();
      } catch (ignored) {
        data = {};
      }
      if (response.status === 422 && data.personal_details) {
        // Not sent: nothing reached the assistant, so the transcript and its buttons stay as they were.
        sent.parentElement.remove();
        if (!fromChoice) {
          putBack(message);
        }
        held = {message: message, shownAs: shownAs, fromChoice: fromChoice};
        showDetails(data.error);
        scrollTarget = detailsBox;
        return;
      }
      retireOldChoices();
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
      retireOldChoices();
      showError("The web app could not be reached, so your message was not sent. Check your connection and try again.");
    } finally {
      setBusy(false);
      focusTarget.focus();
      if (scrollTarget) {
        scrollTarget.scrollIntoView({block: "start"});  // the warning, then the box below it
      } else {
        transcript.lastElementChild.scrollIntoView({block: "nearest"});
      }
    }
  }

  function updateCounter() {
    counter.textContent = input.value.length.toLocaleString("en-GB") + " of " +
      maxChars.toLocaleString("en-GB") + " characters";
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) {
      return;  // the box keeps what was typed until the answer is in
    }
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
    send(text, text, false, false);
  });

  detailsSend.addEventListener("click", function () {
    if (!held || busy) {
      return;
    }
    if (held.fromChoice) {
      send(held.message, held.shownAs, true, true);
      return;
    }
    // What is in the box now: if it was changed after the warning, the web app screens it again.
    const text = input.value.trim();
    if (!text) {
      hideDetails();
      showError("Type a message first.");
      input.focus();
      return;
    }
    input.value = "";
    updateCounter();
    send(text, text, false, true);
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  input.addEventListener("input", updateCounter);
}());
