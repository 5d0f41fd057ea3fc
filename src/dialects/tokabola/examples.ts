/**
 * toKABOLA's own request bodies from its documentation (reference seed), shown as the endpoint's
 * examples; its placeholders (`243XXXXXXXXX`, `VOTRE_TOKEN_ICI`) are filled with values the
 * endpoint accepts (test/system/openapi-examples.test.ts checks each against the route's schema).
 */
const to = "243810000000";
const phone_number_id = "106540352242922";

export const TOKABOLA_EXAMPLES = {
  signup: {
    summary: "Create an account (answers id_user and key_user)",
    value: {
      type: "signup",
      signup: { name: "NOM_APPLICATION_ICI", description: "VOTRE_DESCRIPTION_ICI", logourl: "https://www.votredomaine.com/img/logo.png", webhook: "https://www.votredomaine.com/webhook/" },
    },
  },
  token: { summary: "Get a bearer token", value: { type: "token", token: { id_user: "1400001", key_user: "1-874af000-0000-0000-0000-000000000000" } } },
  update_infos: {
    summary: "Update the account's details",
    value: {
      type: "update",
      update: { account: "infos" },
      infos: { name: "NOM_APPLICATION_ICI", description: "VOTRE_DESCRIPTION_ICI", logourl: "https://www.votredomaine.com/img/logo.png", webhook: "https://www.votredomaine.com/goto/ws/" },
    },
  },
  renew: { summary: "Subscribe or renew", value: { type: "update", update: { account: "renew" }, renew: { auto_pay: true, type: "GOLD" } } },
  add: { summary: "Add a new number", value: { type: "add", add: { cc: "243", phone_number: "810000000", phone_name: "NOM_SERVICE_ICI", language: "fr_FR" } } },
  ask_code: { summary: "Ask for the number's code", value: { type: "number", number: { method: "ask_code", phone_number_id, otp_type: "SMS", language: "fr_FR" } } },
  verify_code: { summary: "Activate the number with the code", value: { type: "number", number: { method: "verify", phone_number_id, otp_code: "123456" } } },
  text: { summary: "Send a text (sandbox)", value: { type: "assistance", assistance: { method: "text", server: "SANDBOX", to, preview_url: true, body: "Salut le monde" } } },
  image: {
    summary: "Send an image (sandbox)",
    value: { type: "assistance", assistance: { method: "image", server: "SANDBOX", to, image_url: "https://www.votredomaine.com/img/logo_big.png", caption: "Mon image" } },
  },
  otp: { summary: "Send a one-time code", value: { type: "auth", auth: { method: "otp", to, otp_code: "123456", language: "fr" } } },
  solde: { summary: "Read the balance", value: { type: "solde" } },
  account: { summary: "Read the account", value: { type: "account" } },
};
