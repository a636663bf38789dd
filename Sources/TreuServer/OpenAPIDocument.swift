/// The OpenAPI 3.1 document of the API, served at /openapi.json. The tests hold the router to it:
/// every route is in it and every operation is routed, and every answer a test sees matches
/// the status codes and schemas written here. Change both together.
public enum OpenAPIDocument {
    public static let json = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "Treu API",
    "version": "1.0.0",
    "description": "Treu, the open-source loyalty and retention platform. Authenticate with `Authorization: Bearer <key>`. Roles: admin (everything), integration and support (members read and write), analyst (reads). Errors are RFC 9457 problem+json with a stable `code`."
  },
  "servers": [
    {
      "url": "http://127.0.0.1:8080"
    }
  ],
  "security": [
    {
      "bearer": []
    }
  ],
  "paths": {
    "/health": {
      "get": {
        "operationId": "health",
        "summary": "The process is alive.",
        "security": [],
        "responses": {
          "200": {
            "description": "Alive.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Health"
                }
              }
            }
          }
        }
      }
    },
    "/ready": {
      "get": {
        "operationId": "ready",
        "summary": "The database answers and the schema is migrated.",
        "security": [],
        "responses": {
          "200": {
            "description": "Ready.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Ready"
                }
              }
            }
          },
          "503": {
            "description": "Not ready (not_ready).",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          }
        }
      }
    },
    "/metrics": {
      "get": {
        "operationId": "metrics",
        "summary": "Prometheus metrics: request counts and latency by route, method and status.",
        "security": [],
        "responses": {
          "200": {
            "description": "Prometheus text format.",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              }
            }
          }
        }
      }
    },
    "/openapi.json": {
      "get": {
        "operationId": "openapi",
        "summary": "This document.",
        "security": [],
        "responses": {
          "200": {
            "description": "The OpenAPI 3.1 document.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          }
        }
      }
    },
    "/v1/members": {
      "post": {
        "operationId": "enrolMember",
        "summary": "Enrol a member (roles: admin, integration, support).",
        "x-treu-permission": "members:write",
        "parameters": [
          {
            "$ref": "#/components/parameters/IdempotencyKey"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/Enrolment"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The new member.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Member"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          }
        }
      },
      "get": {
        "operationId": "listMembers",
        "summary": "List members in enrolment order, with search and cursor pagination (all roles).",
        "x-treu-permission": "members:read",
        "parameters": [
          {
            "name": "q",
            "in": "query",
            "schema": {
              "type": "string"
            },
            "description": "Text found in the name or any identity."
          },
          {
            "name": "status",
            "in": "query",
            "schema": {
              "$ref": "#/components/schemas/MemberStatus"
            }
          },
          {
            "name": "limit",
            "in": "query",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 200,
              "default": 50
            }
          },
          {
            "name": "cursor",
            "in": "query",
            "schema": {
              "type": "string"
            },
            "description": "next_cursor of the previous page (empty: the first page). A cursor this server did not give is refused (invalid_cursor)."
          }
        ],
        "responses": {
          "200": {
            "description": "A page of members.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MemberPage"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          }
        }
      }
    },
    "/v1/members/lookup": {
      "get": {
        "operationId": "lookUpMember",
        "summary": "Find the member holding an identity: email, phone, card or customer id, in any spelling (all roles).",
        "x-treu-permission": "members:read",
        "parameters": [
          {
            "name": "identity",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string",
              "minLength": 1,
              "pattern": "\\S"
            },
            "description": "What the customer gives: an email, a phone number, a card number, the shop's customer id."
          },
          {
            "name": "kind",
            "in": "query",
            "schema": {
              "$ref": "#/components/schemas/IdentityKind"
            },
            "description": "Only this kind; without it every kind the text can be is tried (email, phone, card, customer_id, in that order)."
          }
        ],
        "responses": {
          "200": {
            "description": "The member.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Member"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          }
        }
      }
    },
    "/v1/members/{id}": {
      "parameters": [
        {
          "$ref": "#/components/parameters/ID"
        }
      ],
      "get": {
        "operationId": "getMember",
        "summary": "Read a member (all roles).",
        "x-treu-permission": "members:read",
        "responses": {
          "200": {
            "description": "The member.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Member"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          }
        }
      },
      "patch": {
        "operationId": "updateMember",
        "summary": "Change a member's profile, consents or status (roles: admin, integration, support).",
        "x-treu-permission": "members:write",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/MemberPatch"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The changed member.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Member"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          }
        }
      }
    },
    "/v1/members/{id}/identities": {
      "parameters": [
        {
          "$ref": "#/components/parameters/ID"
        }
      ],
      "post": {
        "operationId": "addIdentity",
        "summary": "Give a member another identity (roles: admin, integration, support).",
        "x-treu-permission": "members:write",
        "parameters": [
          {
            "$ref": "#/components/parameters/IdempotencyKey"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/Identity"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The member with the identity.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Member"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          }
        }
      }
    },
    "/v1/members/{id}/identities/{kind}/{value}": {
      "parameters": [
        {
          "$ref": "#/components/parameters/ID"
        },
        {
          "name": "kind",
          "in": "path",
          "required": true,
          "schema": {
            "$ref": "#/components/schemas/IdentityKind"
          }
        },
        {
          "name": "value",
          "in": "path",
          "required": true,
          "schema": {
            "type": "string"
          },
          "description": "The identity's value, URL-encoded; normalised as on enrolment."
        }
      ],
      "delete": {
        "operationId": "removeIdentity",
        "summary": "Take an identity from a member; the last one stays (roles: admin, integration, support).",
        "x-treu-permission": "members:write",
        "responses": {
          "200": {
            "description": "The member without the identity.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Member"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          }
        }
      }
    },
    "/v1/keys": {
      "post": {
        "operationId": "createKey",
        "summary": "Make an API key; its secret is in this answer only (role: admin).",
        "x-treu-permission": "keys:manage",
        "parameters": [
          {
            "$ref": "#/components/parameters/IdempotencyKey"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/KeyCreate"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The key, with its secret in `key`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CreatedKey"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          },
          "422": {
            "$ref": "#/components/responses/Unprocessable"
          }
        }
      },
      "get": {
        "operationId": "listKeys",
        "summary": "List API keys, without secrets (role: admin).",
        "x-treu-permission": "keys:manage",
        "responses": {
          "200": {
            "description": "The keys.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/KeyPage"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          }
        }
      }
    },
    "/v1/keys/{id}": {
      "parameters": [
        {
          "$ref": "#/components/parameters/ID"
        }
      ],
      "delete": {
        "operationId": "revokeKey",
        "summary": "Revoke an API key at once (role: admin).",
        "x-treu-permission": "keys:manage",
        "responses": {
          "204": {
            "description": "Revoked."
          },
          "404": {
            "description": "No live key has this id (key_not_found).",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "409": {
            "description": "last_admin_key: the last live admin key stays; make another admin key first.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          }
        }
      }
    },
    "/v1/members/{id}/balance": {
      "parameters": [
        {
          "$ref": "#/components/parameters/ID"
        }
      ],
      "get": {
        "operationId": "getBalance",
        "summary": "A member's points: available, pending, debt, lifetime figures and the next expiries (all roles).",
        "x-treu-permission": "points:read",
        "responses": {
          "200": {
            "description": "The balance.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Balance"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "description": "No such member (member_not_found).",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          }
        }
      }
    },
    "/v1/members/{id}/ledger": {
      "parameters": [
        {
          "$ref": "#/components/parameters/ID"
        }
      ],
      "get": {
        "operationId": "getLedger",
        "summary": "A member's ledger entries in order, each with its cause (all roles).",
        "x-treu-permission": "points:read",
        "parameters": [
          {
            "name": "limit",
            "in": "query",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 200,
              "default": 50
            }
          },
          {
            "name": "cursor",
            "in": "query",
            "schema": {
              "type": "string",
              "pattern": "^[0-9]+$"
            },
            "description": "next_cursor of the previous page."
          }
        ],
        "responses": {
          "200": {
            "description": "A page of entries.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/LedgerPage"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "description": "No such member (member_not_found).",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          }
        }
      }
    },
    "/v1/members/{id}/adjustments": {
      "parameters": [
        {
          "$ref": "#/components/parameters/ID"
        }
      ],
      "post": {
        "operationId": "adjustPoints",
        "summary": "Add or take points by hand, with a reason; the key is recorded as the actor (roles: admin, support).",
        "x-treu-permission": "points:adjust",
        "parameters": [
          {
            "$ref": "#/components/parameters/IdempotencyKey"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/Adjustment"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The entry and the new balance.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AdjustmentResult"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "description": "No such member (member_not_found).",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "409": {
            "description": "Not enough points (insufficient_points), or an Idempotency-Key conflict.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          },
          "422": {
            "description": "reason_required or invalid_points.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          }
        }
      }
    },
    "/v1/events": {
      "post": {
        "operationId": "recordEvent",
        "summary": "Record an order, a return or an action; the answer says what it did to the member's points (roles: admin, integration, support).",
        "x-treu-permission": "members:write",
        "parameters": [
          {
            "$ref": "#/components/parameters/IdempotencyKey"
          },
          {
            "name": "dry_run",
            "in": "query",
            "required": false,
            "schema": {
              "type": "boolean"
            },
            "description": "true: evaluate the event exactly as if recorded (member look-up, rules, the answer) and write nothing; answered with 200."
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/Event"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Recorded: the effects and the balance after them.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/EventResult"
                }
              }
            }
          },
          "200": {
            "description": "This reference was recorded before with the same body: the first answer, nothing changed. Or, with dry_run=true, what recording it would do; nothing was written.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/EventResult"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "description": "member_not_found (by member_id) or order_not_found (a return's order).",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "409": {
            "description": "reference_reused: this reference was recorded with another body; or an Idempotency-Key conflict.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          },
          "422": {
            "description": "unknown_event_type, invalid_action, invalid_properties, member_required, missing_field, invalid_reference, invalid_currency, no_lines, invalid_line, invalid_amount, invalid_time, unknown_line, invalid_quantity, or an invalid identity.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          }
        }
      }
    },
    "/v1/events/batch": {
      "post": {
        "operationId": "recordEventBatch",
        "summary": "Record up to 1,000 events in one transaction, in order; each gets its own result, as POST /v1/events would answer it (roles: admin, integration, support).",
        "x-treu-permission": "members:write",
        "parameters": [
          {
            "$ref": "#/components/parameters/IdempotencyKey"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/EventBatch"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "One result per event, in order.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/BatchResult"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "409": {
            "description": "An Idempotency-Key conflict.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          },
          "422": {
            "description": "invalid_batch_size: 1 to 1,000 events.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          }
        },
        "description": "The body may be 64 times the single request's limit (TREU_MAX_BODY_BYTES × 64, 4 MiB by default)."
      }
    },
    "/v1/members/{id}/transfers": {
      "parameters": [
        {
          "$ref": "#/components/parameters/ID"
        }
      ],
      "post": {
        "operationId": "transferPoints",
        "summary": "Give available points to another member, who keeps their expiry dates; both sides or neither (roles: admin, integration, support).",
        "x-treu-permission": "points:spend",
        "parameters": [
          {
            "$ref": "#/components/parameters/IdempotencyKey"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/Transfer"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Both sides after the transfer.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/TransferResult"
                }
              }
            }
          },
          "404": {
            "description": "member_not_found (either member by id) or recipient_not_found (by identity).",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "409": {
            "description": "Not enough available points (insufficient_points), or an Idempotency-Key conflict.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "422": {
            "description": "invalid_points, invalid_note, recipient_required, same_member.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          }
        }
      }
    },
    "/v1/members/{id}/donations": {
      "parameters": [
        {
          "$ref": "#/components/parameters/ID"
        }
      ],
      "post": {
        "operationId": "donatePoints",
        "summary": "Give available points to a cause, spent first-expiring first (roles: admin, integration, support).",
        "x-treu-permission": "points:spend",
        "parameters": [
          {
            "$ref": "#/components/parameters/IdempotencyKey"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/Donation"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The donation entry and the balance after it.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AdjustmentResult"
                }
              }
            }
          },
          "404": {
            "description": "No such member (member_not_found).",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "409": {
            "description": "Not enough available points (insufficient_points), or an Idempotency-Key conflict.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "422": {
            "description": "invalid_points, cause_required.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          }
        }
      }
    },
    "/v1/program": {
      "get": {
        "operationId": "getProgram",
        "summary": "The program version in force now (roles: all).",
        "x-treu-permission": "program:read",
        "responses": {
          "200": {
            "description": "The version in force.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ProgramVersion"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          }
        }
      },
      "put": {
        "operationId": "publishProgram",
        "summary": "Check a draft and store it as a new version, in force from effective_from (roles: admin). An invalid document is refused with every problem and its path; the same document and date as the last version again changes nothing (200).",
        "x-treu-permission": "program:manage",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ProgramDraft"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The new version.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ProgramVersion"
                }
              }
            }
          },
          "200": {
            "description": "The last version, which this draft repeats.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ProgramVersion"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          },
          "422": {
            "description": "invalid_program (with errors: path and message each), effective_in_past, invalid_time, missing_field.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/v1/program/versions": {
      "get": {
        "operationId": "listProgramVersions",
        "summary": "Every version, 0 (the standard program) first (roles: all).",
        "x-treu-permission": "program:read",
        "responses": {
          "200": {
            "description": "The versions.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ProgramVersionList"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          }
        }
      }
    },
    "/v1/program/versions/{version}": {
      "parameters": [
        {
          "name": "version",
          "in": "path",
          "required": true,
          "schema": {
            "type": "integer",
            "minimum": 0
          }
        }
      ],
      "get": {
        "operationId": "getProgramVersion",
        "summary": "One version (roles: all).",
        "x-treu-permission": "program:read",
        "responses": {
          "200": {
            "description": "The version.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ProgramVersion"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "404": {
            "description": "version_not_found.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/v1/program/diff": {
      "get": {
        "operationId": "diffProgramVersions",
        "summary": "What changed between two versions, leaf by leaf (roles: all).",
        "x-treu-permission": "program:read",
        "parameters": [
          {
            "name": "from",
            "in": "query",
            "required": true,
            "schema": {
              "type": "integer",
              "minimum": 0
            }
          },
          {
            "name": "to",
            "in": "query",
            "required": true,
            "schema": {
              "type": "integer",
              "minimum": 0
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The changes, by path.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ProgramDiff"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "404": {
            "description": "version_not_found.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/v1/analytics/retention": {
      "get": {
        "operationId": "getRetention",
        "summary": "Retention by period: S, E, N, CRR = (E − N) / S × 100, repeat-buyer rate |S ∩ E| / |S| × 100, churn, repeat purchase rate, purchase frequency and average order value (rates in percent; money in minor units, net of discounts and returns). (roles: analyst, admin)",
        "x-treu-permission": "analytics:read",
        "parameters": [
          {
            "$ref": "#/components/parameters/ReportFrom"
          },
          {
            "$ref": "#/components/parameters/ReportTo"
          },
          {
            "$ref": "#/components/parameters/ReportPeriod"
          },
          {
            "$ref": "#/components/parameters/ReportActiveDays"
          },
          {
            "name": "by",
            "in": "query",
            "required": false,
            "schema": {
              "enum": [
                "tier"
              ]
            },
            "description": "tier: a row per tier (and one for no tier) in each period: the members who held it as the period opened, by the program's tiers (400 no_tiers without any)."
          }
        ],
        "responses": {
          "200": {
            "description": "The report.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/RetentionReport"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/v1/analytics/cohorts": {
      "get": {
        "operationId": "getCohorts",
        "summary": "Cohorts by month of first order: the share buying in each later month, and their revenue. (roles: analyst, admin)",
        "x-treu-permission": "analytics:read",
        "parameters": [
          {
            "$ref": "#/components/parameters/ReportFrom"
          },
          {
            "$ref": "#/components/parameters/ReportTo"
          }
        ],
        "responses": {
          "200": {
            "description": "The report.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CohortReport"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/v1/analytics/rfm": {
      "get": {
        "operationId": "getRFM",
        "summary": "RFM quintile scores (5 best; ties by member id) and named segments as of `to`; with `segment`, that segment's members, biggest spenders first. (roles: analyst, admin)",
        "x-treu-permission": "analytics:read",
        "parameters": [
          {
            "$ref": "#/components/parameters/ReportFrom"
          },
          {
            "$ref": "#/components/parameters/ReportTo"
          },
          {
            "name": "segment",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "champions, loyal, potential_loyalist, new, promising, need_attention, about_to_sleep, at_risk, cant_lose_them, hibernating or lost."
          },
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 10000
            },
            "description": "Members listed (100)."
          }
        ],
        "responses": {
          "200": {
            "description": "The report.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/RFMReport"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/v1/analytics/clv": {
      "get": {
        "operationId": "getLifetimeValue",
        "summary": "Lifetime value as of `to`: BG/NBD (or Pareto/NBD) and Gamma-Gamma fitted by maximum likelihood (time unit: week), P(alive), expected purchases and predicted value, historic value; with holdout_weeks, the forecast tested on the last weeks. (roles: analyst, admin)",
        "x-treu-permission": "analytics:read",
        "parameters": [
          {
            "$ref": "#/components/parameters/ReportFrom"
          },
          {
            "$ref": "#/components/parameters/ReportTo"
          },
          {
            "name": "model",
            "in": "query",
            "required": false,
            "schema": {
              "enum": [
                "bgnbd",
                "pareto_nbd"
              ]
            },
            "description": "The purchase model (bgnbd)."
          },
          {
            "name": "holdout_weeks",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 0,
              "maximum": 520
            },
            "description": "Weeks held out to test the forecast (0: none)."
          },
          {
            "name": "horizon_months",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 120
            },
            "description": "Months of predicted value (12)."
          },
          {
            "name": "discount_rate",
            "in": "query",
            "required": false,
            "schema": {
              "type": "number",
              "minimum": 0,
              "maximum": 1
            },
            "description": "Discount rate per month (0.01)."
          },
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 10000
            },
            "description": "Members in `top` (at most 100)."
          },
          {
            "name": "member_id",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "format": "uuid"
            },
            "description": "One customer's figures too (member), as of to: P(alive), expected purchases and predicted value over horizon_months."
          }
        ],
        "responses": {
          "200": {
            "description": "The report.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/LifetimeReport"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "description": "member_not_found: no member has member_id.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          }
        }
      }
    },
    "/v1/analytics/program": {
      "get": {
        "operationId": "getProgramFigures",
        "summary": "Program figures by period: enrolled, members, active, points issued, taken back, redeemed, expired, adjusted, transferred, outstanding; totals with redemption rate, breakage and liability (outstanding × point_value × (1 − breakage), minor units). (roles: analyst, admin)",
        "x-treu-permission": "analytics:read",
        "parameters": [
          {
            "$ref": "#/components/parameters/ReportFrom"
          },
          {
            "$ref": "#/components/parameters/ReportTo"
          },
          {
            "$ref": "#/components/parameters/ReportPeriod"
          },
          {
            "$ref": "#/components/parameters/ReportActiveDays"
          },
          {
            "name": "point_value",
            "in": "query",
            "required": false,
            "schema": {
              "type": "number",
              "minimum": 0
            },
            "description": "Minor units a point is worth (1)."
          }
        ],
        "responses": {
          "200": {
            "description": "The report.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ProgramReport"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/v1/members/{id}/tier": {
      "parameters": [
        {
          "$ref": "#/components/parameters/ID"
        }
      ],
      "get": {
        "operationId": "getMemberTier",
        "summary": "The member's tier in the program in force: the level (null below the first), what the current window earned, the metric's value, the next level and what is still needed, what keeps the level (to_keep, this window) and until when it holds if nothing more happens (all roles).",
        "x-treu-permission": "points:read",
        "responses": {
          "200": {
            "description": "Where the member stands.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MemberTier"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "description": "member_not_found, or no_tiers: the program in force has no tiers.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          }
        }
      },
      "put": {
        "operationId": "setMemberTier",
        "summary": "Set a level by hand, with a reason: a floor the member holds at least, or a level fixed whatever the metric, until a date or until taken off. Recorded as an event of the member (kind tier_override) with the key as actor; a change of level shows in the member's tier at once (roles: admin, support).",
        "x-treu-permission": "points:adjust",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/TierOverride"
              }
            }
          }
        },
        "responses": {
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "description": "member_not_found, or no_tiers: the program in force has no tiers.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "200": {
            "description": "Where the member stands now, the level set by hand included.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MemberTier"
                }
              }
            }
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          },
          "422": {
            "description": "unknown_level, reason_required, invalid_time (until not in the future), no_tiers.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          }
        }
      },
      "delete": {
        "operationId": "clearMemberTier",
        "summary": "Take off the level set by hand, with a reason: the metric's level holds again (roles: admin, support).",
        "x-treu-permission": "points:adjust",
        "parameters": [
          {
            "name": "reason",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 500
            },
            "description": "Why, for the member's history."
          }
        ],
        "responses": {
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "description": "member_not_found, or no_tiers: the program in force has no tiers.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "200": {
            "description": "Where the member stands now, the level set by hand included.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MemberTier"
                }
              }
            }
          },
          "422": {
            "description": "reason_required, no_tiers.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          }
        }
      }
    },
    "/v1/members/{id}/referrals": {
      "parameters": [
        {
          "$ref": "#/components/parameters/ID"
        }
      ],
      "get": {
        "operationId": "getMemberReferrals",
        "summary": "The member's referral code (made on the first ask) and link, who brought them, whom they brought and what those friends bought (roles: admin, integration, support, analyst).",
        "x-treu-permission": "members:read",
        "responses": {
          "200": {
            "description": "The member's referrals.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MemberReferrals"
                }
              }
            }
          },
          "404": {
            "description": "member_not_found.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          }
        }
      }
    },
    "/v1/members/{id}/referral": {
      "parameters": [
        {
          "$ref": "#/components/parameters/ID"
        }
      ],
      "post": {
        "operationId": "referMember",
        "summary": "The member (who enrolled without one) gives the code of the member who brought them. Refusals are recorded with their reason and answered 422 with it as the code: self_referral, limit_reached, already_referred, existing_customer (roles: admin, integration, support).",
        "x-treu-permission": "members:write",
        "parameters": [
          {
            "$ref": "#/components/parameters/IdempotencyKey"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "referral_code"
                ],
                "properties": {
                  "referral_code": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 64
                  }
                }
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The referral, pending until the friend's first qualifying order is past its return window.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Referral"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "404": {
            "description": "member_not_found.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "409": {
            "description": "no_referrals: the program in force has none.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          },
          "422": {
            "description": "referral_code_unknown, or the refusal's reason.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/v1/analytics/senders": {
      "get": {
        "operationId": "getSenders",
        "summary": "Spenders and senders: the members who brought the most friends (with what those friends bought) next to those who spent the most, each with the other figures; over everything recorded (roles: analyst, admin).",
        "x-treu-permission": "analytics:read",
        "parameters": [
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 10000
            },
            "description": "Rows in each list (100)."
          }
        ],
        "responses": {
          "200": {
            "description": "The report.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SendersReport"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/v1/rewards": {
      "get": {
        "operationId": "listRewards",
        "summary": "The rewards catalog of the program in force, with titles and descriptions in en, de, vi (all roles).",
        "x-treu-permission": "program:read",
        "responses": {
          "200": {
            "description": "The catalog.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "rewards",
                    "program_version"
                  ],
                  "properties": {
                    "rewards": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/Reward"
                      }
                    },
                    "program_version": {
                      "type": "integer"
                    }
                  }
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          }
        }
      }
    },
    "/v1/members/{id}/redemptions": {
      "parameters": [
        {
          "$ref": "#/components/parameters/ID"
        }
      ],
      "post": {
        "operationId": "redeemReward",
        "summary": "Redeem a reward: its cost is debited (soonest-expiring points first) and a single-use coupon issued, all or nothing; a donation reward's points go to its cause at once (its coupon, used, is the receipt). Refusals: 404 reward_not_found; 409 insufficient_points, out_of_stock, limit_reached; 422 reward_not_available, tier_not_reached (roles: admin, integration, support).",
        "x-treu-permission": "points:spend",
        "parameters": [
          {
            "$ref": "#/components/parameters/IdempotencyKey"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "reward_id"
                ],
                "properties": {
                  "reward_id": {
                    "type": "string"
                  }
                }
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The coupon.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Coupon"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "404": {
            "description": "member_not_found, reward_not_found.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "409": {
            "description": "insufficient_points, out_of_stock, limit_reached.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          },
          "422": {
            "description": "reward_not_available, tier_not_reached.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/v1/members/{id}/coupons": {
      "parameters": [
        {
          "$ref": "#/components/parameters/ID"
        }
      ],
      "get": {
        "operationId": "listCoupons",
        "summary": "The member's coupons, newest first (all roles).",
        "x-treu-permission": "points:read",
        "responses": {
          "200": {
            "description": "The coupons.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "items",
                    "next_cursor"
                  ],
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/Coupon"
                      }
                    },
                    "next_cursor": {
                      "type": "null"
                    }
                  }
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          }
        }
      }
    },
    "/v1/coupons/{code}/validate": {
      "parameters": [
        {
          "name": "code",
          "in": "path",
          "required": true,
          "schema": {
            "type": "string"
          }
        }
      ],
      "post": {
        "operationId": "validateCoupon",
        "summary": "What the coupon takes off a cart, or why it does not apply (reason): coupon_not_found, coupon_expired, coupon_used, coupon_cancelled, below_minimum, another_members_coupon, currency_mismatch, product_not_in_cart. An unknown code takes the same path as a known one (all roles). A next-order coupon is refused on the order that earned it (earned_by_this_order).",
        "x-treu-permission": "points:read",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/Checkout"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Valid or not, and why.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CouponCheck"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          },
          "422": {
            "description": "missing_field (lines), invalid_line.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/IdempotencyKey"
          }
        ]
      }
    },
    "/v1/coupons/{code}/redeem": {
      "parameters": [
        {
          "name": "code",
          "in": "path",
          "required": true,
          "schema": {
            "type": "string"
          }
        }
      ],
      "post": {
        "operationId": "useCoupon",
        "summary": "Use the coupon on an order (order_reference; with the cart, it is checked against it): exactly once, whatever the concurrency; the same order again gets the same answer (roles: admin, integration, support). A next-order coupon is refused on the order that earned it (earned_by_this_order).",
        "x-treu-permission": "points:spend",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/Checkout"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Used.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CouponCheck"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "404": {
            "description": "coupon_not_found.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "409": {
            "description": "coupon_used, coupon_expired, coupon_cancelled, budget_spent.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          },
          "422": {
            "description": "missing_field, below_minimum, another_members_coupon, currency_mismatch, product_not_in_cart, earned_by_this_order.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/IdempotencyKey"
          }
        ]
      }
    },
    "/v1/coupons/{code}/void": {
      "parameters": [
        {
          "name": "code",
          "in": "path",
          "required": true,
          "schema": {
            "type": "string"
          }
        }
      ],
      "post": {
        "operationId": "voidCoupon",
        "summary": "The order the coupon was used on (order_reference) was cancelled: the coupon works again, or for a reward whose on_void is refund it is cancelled and its points come back (once: the same order again gets the same answer); a campaign's code works again and its use returns to the budget (roles: admin, integration, support).",
        "x-treu-permission": "points:spend",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/Checkout"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The coupon, usable again or cancelled with its points back.",
            "content": {
              "application/json": {
                "schema": {
                  "oneOf": [
                    {
                      "$ref": "#/components/schemas/Coupon"
                    },
                    {
                      "$ref": "#/components/schemas/CampaignCode"
                    }
                  ]
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "404": {
            "description": "coupon_not_found.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "409": {
            "description": "coupon_used (on another order), coupon_cancelled.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          },
          "422": {
            "description": "missing_field.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/IdempotencyKey"
          }
        ]
      }
    },
    "/v1/coupon-campaigns": {
      "post": {
        "operationId": "createCampaign",
        "summary": "A coupon campaign: count codes by a pattern, all distinct, for a discount within a budget (admins).",
        "x-treu-permission": "program:manage",
        "parameters": [
          {
            "$ref": "#/components/parameters/IdempotencyKey"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CampaignCreate"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The campaign.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Campaign"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          },
          "422": {
            "description": "invalid_pattern, pattern_too_short, invalid_reward, invalid_budget, invalid_count, invalid_name.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          }
        }
      }
    },
    "/v1/coupon-campaigns/{id}": {
      "parameters": [
        {
          "name": "id",
          "in": "path",
          "required": true,
          "schema": {
            "type": "string",
            "format": "uuid"
          }
        }
      ],
      "get": {
        "operationId": "getCampaign",
        "summary": "A campaign with its budget and what was used of it (admins).",
        "x-treu-permission": "program:manage",
        "responses": {
          "200": {
            "description": "The campaign.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Campaign"
                }
              }
            }
          },
          "404": {
            "description": "campaign_not_found.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          }
        }
      }
    },
    "/v1/coupon-campaigns/{id}/codes": {
      "parameters": [
        {
          "name": "id",
          "in": "path",
          "required": true,
          "schema": {
            "type": "string",
            "format": "uuid"
          }
        }
      ],
      "get": {
        "operationId": "exportCampaignCodes",
        "summary": "Every code of the campaign as CSV: code,status,order_reference,used_at,discount (admins).",
        "x-treu-permission": "program:manage",
        "responses": {
          "200": {
            "description": "The codes.",
            "content": {
              "text/csv": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "404": {
            "description": "campaign_not_found.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          }
        }
      },
      "post": {
        "operationId": "importCampaignCodes",
        "summary": "Add a partner's codes (1 to 10,000 a request; letters, digits and dashes; stored in capitals); codes held already are skipped (admins).",
        "x-treu-permission": "program:manage",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "codes"
                ],
                "properties": {
                  "codes": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  }
                }
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Added and skipped.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "added",
                    "skipped"
                  ],
                  "properties": {
                    "added": {
                      "type": "integer"
                    },
                    "skipped": {
                      "type": "integer"
                    }
                  }
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "404": {
            "description": "campaign_not_found.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          },
          "422": {
            "description": "invalid_code, invalid_count.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "409": {
            "$ref": "#/components/responses/Conflict"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/IdempotencyKey"
          }
        ]
      }
    },
    "/v1/members/{id}/coupons/{code}/cancel": {
      "parameters": [
        {
          "$ref": "#/components/parameters/ID"
        },
        {
          "name": "code",
          "in": "path",
          "required": true,
          "schema": {
            "type": "string"
          }
        }
      ],
      "post": {
        "operationId": "cancelRedemption",
        "summary": "Cancel an unused coupon of the member within its reward's cancel_days (default 14) of the redemption: the points come back to lots expiring when the spent ones would have (points whose date has passed do not), and its unit returns to the reward's stock. Refusals: 404 coupon_not_found (also another member's); 409 coupon_used, coupon_cancelled, cancel_window_closed (roles: admin, integration, support).",
        "x-treu-permission": "points:spend",
        "responses": {
          "200": {
            "description": "The coupon, cancelled.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Coupon"
                }
              }
            }
          },
          "404": {
            "description": "member_not_found, coupon_not_found.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "409": {
            "description": "coupon_used, coupon_cancelled, cancel_window_closed.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "413": {
            "$ref": "#/components/responses/BodyTooLarge"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/IdempotencyKey"
          }
        ]
      }
    },
    "/v1/causes": {
      "get": {
        "operationId": "listCauses",
        "summary": "The causes of the program in force (its donation rewards) and the causes members named in their own donations, each with what members have given so far: points, donations, members (all roles).",
        "x-treu-permission": "program:read",
        "responses": {
          "200": {
            "description": "The causes.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "causes",
                    "named_causes"
                  ],
                  "properties": {
                    "causes": {
                      "type": "array",
                      "items": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": [
                          "reward_id",
                          "title",
                          "description",
                          "cost",
                          "points",
                          "donations",
                          "members"
                        ],
                        "properties": {
                          "reward_id": {
                            "type": "string"
                          },
                          "title": {
                            "type": "object",
                            "additionalProperties": {
                              "type": "string"
                            },
                            "description": "By language: en, de, vi."
                          },
                          "description": {
                            "type": "object",
                            "additionalProperties": {
                              "type": "string"
                            },
                            "description": "By language: en, de, vi."
                          },
                          "cost": {
                            "type": "integer",
                            "description": "Points one donation gives."
                          },
                          "points": {
                            "type": "integer",
                            "description": "Points given so far."
                          },
                          "donations": {
                            "type": "integer"
                          },
                          "members": {
                            "type": "integer",
                            "description": "Members who gave."
                          }
                        }
                      }
                    },
                    "named_causes": {
                      "type": "array",
                      "description": "Causes members named in POST /v1/members/{id}/donations, by name.",
                      "items": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": [
                          "cause",
                          "points",
                          "donations",
                          "members"
                        ],
                        "properties": {
                          "cause": {
                            "type": "string"
                          },
                          "points": {
                            "type": "integer",
                            "description": "Points given so far."
                          },
                          "donations": {
                            "type": "integer"
                          },
                          "members": {
                            "type": "integer",
                            "description": "Members who gave."
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          }
        }
      }
    },
    "/v1/gifts": {
      "get": {
        "operationId": "listGifts",
        "summary": "Coupons of gift rewards (any version's) to hand over (status=open, the default: issued) or handed over (status=done: redeemed with the fulfilment's reference), by code (all roles).",
        "x-treu-permission": "points:read",
        "parameters": [
          {
            "name": "status",
            "in": "query",
            "schema": {
              "enum": [
                "open",
                "done"
              ],
              "default": "open"
            }
          },
          {
            "name": "limit",
            "in": "query",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 200,
              "default": 50
            }
          },
          {
            "name": "cursor",
            "in": "query",
            "schema": {
              "type": "string"
            },
            "description": "next_cursor of the page before."
          }
        ],
        "responses": {
          "200": {
            "description": "A page of coupons.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "items",
                    "next_cursor"
                  ],
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/Coupon"
                      }
                    },
                    "next_cursor": {
                      "type": [
                        "string",
                        "null"
                      ]
                    }
                  }
                }
              }
            }
          },
          "400": {
            "description": "invalid_parameter.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          }
        }
      }
    },
    "/v1/members/{id}/early-access": {
      "parameters": [
        {
          "$ref": "#/components/parameters/ID"
        }
      ],
      "get": {
        "operationId": "getEarlyAccess",
        "summary": "The flag the shop's site reads: whether the member holds an early-access coupon in force now (issued, not expired), until when, and which (all roles).",
        "x-treu-permission": "points:read",
        "responses": {
          "200": {
            "description": "The flag.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "early_access",
                    "until",
                    "coupons"
                  ],
                  "properties": {
                    "early_access": {
                      "type": "boolean"
                    },
                    "until": {
                      "type": [
                        "string",
                        "null"
                      ],
                      "format": "date-time",
                      "description": "When the last of them expires."
                    },
                    "coupons": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/Coupon"
                      }
                    }
                  }
                }
              }
            }
          },
          "404": {
            "description": "member_not_found.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          }
        }
      }
    }
  },
  "components": {
    "securitySchemes": {
      "bearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "An API key made by `treu keys create` or POST /v1/keys."
      }
    },
    "schemas": {
      "Problem": {
        "type": "object",
        "required": [
          "type",
          "title",
          "status",
          "detail",
          "code"
        ],
        "additionalProperties": false,
        "properties": {
          "type": {
            "type": "string"
          },
          "title": {
            "type": "string"
          },
          "status": {
            "type": "integer"
          },
          "detail": {
            "type": "string"
          },
          "code": {
            "type": "string",
            "description": "Stable, for programs to switch on."
          },
          "field": {
            "type": "string"
          },
          "errors": {
            "type": "array",
            "description": "Every problem of a document at its path (invalid_program).",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "path",
                "message"
              ],
              "properties": {
                "path": {
                  "type": "string"
                },
                "message": {
                  "type": "string"
                }
              }
            }
          }
        }
      },
      "Health": {
        "type": "object",
        "required": [
          "status"
        ],
        "additionalProperties": false,
        "properties": {
          "status": {
            "type": "string",
            "enum": [
              "ok"
            ]
          }
        }
      },
      "Ready": {
        "type": "object",
        "required": [
          "status",
          "database",
          "schema_version"
        ],
        "additionalProperties": false,
        "properties": {
          "status": {
            "type": "string",
            "enum": [
              "ready"
            ]
          },
          "database": {
            "type": "string",
            "enum": [
              "sqlite",
              "postgres"
            ]
          },
          "schema_version": {
            "type": "integer"
          }
        }
      },
      "IdentityKind": {
        "type": "string",
        "enum": [
          "email",
          "phone",
          "card",
          "customer_id"
        ]
      },
      "MemberStatus": {
        "type": "string",
        "enum": [
          "active",
          "suspended"
        ]
      },
      "Locale": {
        "type": "string",
        "enum": [
          "en",
          "de",
          "vi"
        ]
      },
      "Identity": {
        "type": "object",
        "required": [
          "kind",
          "value"
        ],
        "additionalProperties": false,
        "properties": {
          "kind": {
            "$ref": "#/components/schemas/IdentityKind"
          },
          "value": {
            "type": "string",
            "minLength": 1,
            "maxLength": 254,
            "pattern": "\\S"
          }
        }
      },
      "AttributeValue": {
        "type": [
          "string",
          "number",
          "boolean"
        ]
      },
      "ConsentsInput": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "marketing_email": {
            "type": "boolean"
          },
          "marketing_sms": {
            "type": "boolean"
          }
        }
      },
      "Enrolment": {
        "type": "object",
        "additionalProperties": false,
        "description": "At least one identity: email, phone (E.164 or national with the server's default country code), card, customer_id, or the identities list.",
        "properties": {
          "name": {
            "type": "string",
            "maxLength": 200
          },
          "locale": {
            "$ref": "#/components/schemas/Locale"
          },
          "birthday": {
            "type": "string",
            "format": "date"
          },
          "attributes": {
            "type": "object",
            "additionalProperties": {
              "$ref": "#/components/schemas/AttributeValue"
            },
            "maxProperties": 50,
            "propertyNames": {
              "pattern": "^[A-Za-z0-9_.\\-]{1,64}$"
            }
          },
          "consents": {
            "$ref": "#/components/schemas/ConsentsInput"
          },
          "email": {
            "type": "string",
            "format": "email",
            "minLength": 3,
            "maxLength": 254
          },
          "phone": {
            "type": "string",
            "pattern": "^\\+?[0-9][0-9 ().\\-/]{7,29}$",
            "description": "E.164 (+4917012345678), any spacing; or national (0170 …) with the server's default country code."
          },
          "card": {
            "type": "string",
            "pattern": "^[A-Za-z0-9][A-Za-z0-9 \\-]{3,70}$"
          },
          "customer_id": {
            "type": "string",
            "minLength": 1,
            "maxLength": 128,
            "pattern": "\\S"
          },
          "identities": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Identity"
            },
            "minItems": 1
          },
          "referral_code": {
            "type": "string",
            "minLength": 1,
            "maxLength": 64,
            "description": "The code of the member who brought this one (any case, spaces and dashes ignored). An unknown code (422 referral_code_unknown) or a program without referrals (409 no_referrals) enrols nobody; a referral refused for its own reasons is recorded and the member enrolled."
          }
        },
        "anyOf": [
          {
            "required": [
              "email"
            ]
          },
          {
            "required": [
              "phone"
            ]
          },
          {
            "required": [
              "card"
            ]
          },
          {
            "required": [
              "customer_id"
            ]
          },
          {
            "required": [
              "identities"
            ]
          }
        ]
      },
      "MemberPatch": {
        "type": "object",
        "additionalProperties": false,
        "description": "Fields left out stay as they are; null clears name, birthday or one attribute.",
        "properties": {
          "name": {
            "type": [
              "string",
              "null"
            ],
            "maxLength": 200
          },
          "locale": {
            "$ref": "#/components/schemas/Locale"
          },
          "birthday": {
            "type": [
              "string",
              "null"
            ],
            "format": "date"
          },
          "attributes": {
            "type": "object",
            "additionalProperties": {
              "type": [
                "string",
                "number",
                "boolean",
                "null"
              ]
            },
            "propertyNames": {
              "pattern": "^[A-Za-z0-9_.\\-]{1,64}$"
            },
            "description": "Merged into the member's attributes; null removes one. At most 50 in all; text values up to 1,000 characters."
          },
          "consents": {
            "$ref": "#/components/schemas/ConsentsInput"
          },
          "status": {
            "$ref": "#/components/schemas/MemberStatus"
          }
        }
      },
      "Member": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "name",
          "locale",
          "birthday",
          "attributes",
          "consents",
          "status",
          "identities",
          "created_at",
          "updated_at"
        ],
        "properties": {
          "id": {
            "type": "string",
            "format": "uuid"
          },
          "name": {
            "type": [
              "string",
              "null"
            ]
          },
          "locale": {
            "$ref": "#/components/schemas/Locale"
          },
          "birthday": {
            "type": [
              "string",
              "null"
            ],
            "format": "date"
          },
          "attributes": {
            "type": "object",
            "additionalProperties": {
              "$ref": "#/components/schemas/AttributeValue"
            }
          },
          "consents": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "marketing_email",
              "marketing_email_changed_at",
              "marketing_sms",
              "marketing_sms_changed_at"
            ],
            "properties": {
              "marketing_email": {
                "type": "boolean"
              },
              "marketing_email_changed_at": {
                "type": [
                  "string",
                  "null"
                ],
                "format": "date-time"
              },
              "marketing_sms": {
                "type": "boolean"
              },
              "marketing_sms_changed_at": {
                "type": [
                  "string",
                  "null"
                ],
                "format": "date-time"
              }
            }
          },
          "status": {
            "$ref": "#/components/schemas/MemberStatus"
          },
          "identities": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Identity"
            }
          },
          "created_at": {
            "type": "string",
            "format": "date-time"
          },
          "updated_at": {
            "type": "string",
            "format": "date-time"
          },
          "analytics": {
            "$ref": "#/components/schemas/MemberAnalytics"
          },
          "referral": {
            "$ref": "#/components/schemas/Referral",
            "description": "On an enrolment with a referral_code: the referral it made, or its refusal."
          }
        }
      },
      "MemberPage": {
        "type": "object",
        "required": [
          "items",
          "next_cursor"
        ],
        "additionalProperties": false,
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Member"
            }
          },
          "next_cursor": {
            "type": [
              "string",
              "null"
            ]
          }
        }
      },
      "Role": {
        "type": "string",
        "enum": [
          "admin",
          "integration",
          "support",
          "analyst"
        ]
      },
      "KeyCreate": {
        "type": "object",
        "required": [
          "name",
          "role"
        ],
        "additionalProperties": false,
        "properties": {
          "name": {
            "type": "string",
            "minLength": 1,
            "maxLength": 100,
            "pattern": "^[^\\u0000-\\u001F\\u007F-\\u009F]*$"
          },
          "role": {
            "$ref": "#/components/schemas/Role"
          }
        }
      },
      "Key": {
        "type": "object",
        "required": [
          "id",
          "name",
          "role",
          "prefix",
          "created_at",
          "revoked_at"
        ],
        "additionalProperties": false,
        "properties": {
          "id": {
            "type": "string",
            "format": "uuid"
          },
          "name": {
            "type": "string"
          },
          "role": {
            "$ref": "#/components/schemas/Role"
          },
          "prefix": {
            "type": "string",
            "description": "The first characters of the secret, to tell keys apart."
          },
          "created_at": {
            "type": "string",
            "format": "date-time"
          },
          "revoked_at": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          }
        }
      },
      "CreatedKey": {
        "type": "object",
        "required": [
          "id",
          "name",
          "role",
          "prefix",
          "created_at",
          "revoked_at",
          "key"
        ],
        "additionalProperties": false,
        "properties": {
          "id": {
            "type": "string",
            "format": "uuid"
          },
          "name": {
            "type": "string"
          },
          "role": {
            "$ref": "#/components/schemas/Role"
          },
          "prefix": {
            "type": "string"
          },
          "created_at": {
            "type": "string",
            "format": "date-time"
          },
          "revoked_at": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "key": {
            "type": "string",
            "description": "The secret: shown here once, never again."
          }
        }
      },
      "KeyPage": {
        "type": "object",
        "required": [
          "items",
          "next_cursor"
        ],
        "additionalProperties": false,
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Key"
            }
          },
          "next_cursor": {
            "type": [
              "string",
              "null"
            ]
          }
        }
      },
      "Balance": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "available",
          "pending",
          "debt",
          "lifetime_earned",
          "lifetime_spent",
          "lifetime_expired",
          "lifetime_reversed",
          "next_expiries"
        ],
        "properties": {
          "available": {
            "type": "integer",
            "description": "Spendable now; negative while a debt is open."
          },
          "pending": {
            "type": "integer"
          },
          "debt": {
            "type": "integer"
          },
          "lifetime_earned": {
            "type": "integer"
          },
          "lifetime_spent": {
            "type": "integer"
          },
          "lifetime_expired": {
            "type": "integer"
          },
          "lifetime_reversed": {
            "type": "integer"
          },
          "next_expiries": {
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "points",
                "on"
              ],
              "properties": {
                "points": {
                  "type": "integer"
                },
                "on": {
                  "type": "string",
                  "format": "date"
                }
              }
            }
          }
        }
      },
      "LedgerEntry": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "sequence",
          "kind",
          "points",
          "at",
          "event",
          "rule",
          "actor",
          "reason",
          "reverses"
        ],
        "properties": {
          "sequence": {
            "type": "integer"
          },
          "kind": {
            "type": "string",
            "enum": [
              "credit",
              "release",
              "debit",
              "expiry",
              "reversal",
              "adjustment",
              "transfer_in",
              "transfer_out",
              "donation",
              "refund"
            ]
          },
          "points": {
            "type": "integer",
            "description": "The change of the member's points."
          },
          "at": {
            "type": "string",
            "format": "date-time"
          },
          "event": {
            "type": [
              "string",
              "null"
            ]
          },
          "rule": {
            "type": [
              "string",
              "null"
            ]
          },
          "actor": {
            "type": [
              "string",
              "null"
            ]
          },
          "reason": {
            "type": [
              "string",
              "null"
            ]
          },
          "reverses": {
            "type": [
              "string",
              "null"
            ]
          }
        }
      },
      "LedgerPage": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "items",
          "next_cursor"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/LedgerEntry"
            }
          },
          "next_cursor": {
            "type": [
              "string",
              "null"
            ]
          }
        }
      },
      "Adjustment": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "points",
          "reason"
        ],
        "properties": {
          "points": {
            "type": "integer",
            "not": {
              "const": 0
            },
            "minimum": -10000000,
            "maximum": 10000000,
            "description": "Points credited (positive) or taken (negative)."
          },
          "reason": {
            "type": "string",
            "minLength": 1,
            "maxLength": 500,
            "pattern": "\\S"
          },
          "expires_at": {
            "type": "string",
            "format": "date-time",
            "description": "When points credited by the adjustment expire (in the future). Without it, they expire as the program's expiry policy says for points earned now."
          }
        }
      },
      "AdjustmentResult": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "entry",
          "balance"
        ],
        "properties": {
          "entry": {
            "$ref": "#/components/schemas/LedgerEntry"
          },
          "balance": {
            "$ref": "#/components/schemas/Balance"
          }
        },
        "description": "A change to one member's points: the entry made and the balance after it."
      },
      "EventLine": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "sku",
          "quantity"
        ],
        "properties": {
          "sku": {
            "type": "string",
            "minLength": 1,
            "maxLength": 128,
            "pattern": "^[^\\u0000-\\u001F\\u007F-\\u009F]*$"
          },
          "category": {
            "type": "string",
            "minLength": 1,
            "maxLength": 128,
            "pattern": "^[^\\u0000-\\u001F\\u007F-\\u009F]*$"
          },
          "quantity": {
            "type": "integer",
            "minimum": 1,
            "maximum": 1000000
          },
          "unit_price": {
            "type": "integer",
            "minimum": 0,
            "maximum": 1000000000000,
            "description": "Minor units (at most 10^12); required on an order's lines. A line costs at most 10^12 minor units in all."
          },
          "discount": {
            "type": "integer",
            "minimum": 0,
            "maximum": 1000000000000,
            "description": "On the whole line, minor units; no more than the line costs."
          }
        }
      },
      "Event": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "type",
          "reference"
        ],
        "description": "An order (member or member_id, currency, lines with unit_price, order_discount, shipping), a return (order_reference; lines by sku and quantity, or none for the whole order) or an action (name such as review, birthday, social_share, signup or any custom name; member or member_id; properties). A membership (level, months; member or member_id) joins or renews a paid level: 422 not_a_paid_level when the tiers have none of that name. Amounts in minor units. An order or action for an identity nobody has enrols a member.",
        "properties": {
          "type": {
            "type": "string",
            "enum": [
              "order",
              "return",
              "action",
              "membership"
            ]
          },
          "reference": {
            "type": "string",
            "minLength": 1,
            "maxLength": 128,
            "pattern": "^[^\\u0000-\\u001F\\u007F-\\u009F]*$"
          },
          "at": {
            "type": "string",
            "format": "date-time",
            "description": "When it happened (default: now); at most 5 minutes ahead of the server's clock (time_in_future)."
          },
          "member_id": {
            "type": "string",
            "format": "uuid"
          },
          "member": {
            "type": "object",
            "additionalProperties": false,
            "properties": {
              "email": {
                "type": "string"
              },
              "phone": {
                "type": "string"
              },
              "card": {
                "type": "string"
              },
              "customer_id": {
                "type": "string"
              }
            }
          },
          "channel": {
            "type": "string"
          },
          "currency": {
            "type": "string",
            "pattern": "^[A-Za-z]{3}$",
            "description": "The program's currency: an order in another is refused (422 currency_mismatch); convert it before sending."
          },
          "lines": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/EventLine"
            },
            "maxItems": 1000
          },
          "order_discount": {
            "type": "integer",
            "minimum": 0,
            "maximum": 1000000000000,
            "description": "Minor units. At most 10^12; an order's lines and shipping come to at most 10^12 minor units."
          },
          "shipping": {
            "type": "integer",
            "minimum": 0,
            "maximum": 1000000000000,
            "description": "Minor units. At most 10^12; an order's lines and shipping come to at most 10^12 minor units."
          },
          "order_reference": {
            "type": "string",
            "minLength": 1,
            "maxLength": 128,
            "pattern": "^[^\\u0000-\\u001F\\u007F-\\u009F]*$"
          },
          "name": {
            "type": "string",
            "pattern": "^[a-z0-9][a-z0-9_]{0,63}$"
          },
          "properties": {
            "type": "object",
            "additionalProperties": {
              "type": "string"
            }
          },
          "level": {
            "type": "string",
            "minLength": 1,
            "description": "A membership's paid level (a level with paid: true)."
          },
          "months": {
            "type": "integer",
            "minimum": 1,
            "maximum": 36,
            "description": "How long a membership runs: to the end of the day this many months on (program's zone); bought again while it runs, from its end."
          }
        }
      },
      "Effect": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "type"
        ],
        "properties": {
          "type": {
            "type": "string",
            "enum": [
              "credit",
              "reversal",
              "coupon"
            ]
          },
          "points": {
            "type": "integer"
          },
          "rule": {
            "type": "string"
          },
          "available_at": {
            "type": "string",
            "format": "date-time"
          },
          "expires_at": {
            "type": [
              "string",
              "null"
            ]
          },
          "reverses": {
            "type": "string"
          },
          "code": {
            "type": [
              "string",
              "null"
            ],
            "description": "The coupon's code (a coupon effect)."
          },
          "reward_id": {
            "type": "string",
            "description": "The catalog's reward the coupon is for (a coupon effect)."
          }
        },
        "description": "What an event did: a credit (points, rule, available_at, expires_at), a reversal (negative points, reverses), or a coupon for a later order (rule, reward_id, code, expires_at; never usable on the order that earned it)."
      },
      "EventResult": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "reference",
          "type",
          "member_id",
          "enrolled",
          "effects",
          "balance",
          "program_version",
          "notes"
        ],
        "properties": {
          "reference": {
            "type": "string"
          },
          "type": {
            "type": "string",
            "enum": [
              "order",
              "return",
              "action",
              "membership"
            ]
          },
          "member_id": {
            "type": "string",
            "format": "uuid"
          },
          "enrolled": {
            "type": "boolean"
          },
          "effects": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Effect"
            }
          },
          "balance": {
            "$ref": "#/components/schemas/Balance"
          },
          "program_version": {
            "type": "integer",
            "minimum": 0,
            "description": "The program version that evaluated the event (0: the standard program)."
          },
          "tier": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "change",
              "from",
              "to"
            ],
            "description": "Present when the event changed the member's tier (levels by name; null: no tier).",
            "properties": {
              "change": {
                "enum": [
                  "upgrade",
                  "downgrade"
                ]
              },
              "from": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "to": {
                "type": [
                  "string",
                  "null"
                ]
              }
            }
          },
          "notes": {
            "type": "array",
            "description": "Why the event earned nothing, or less than a rule gives: never a silent zero. Codes: no_rule, limit_reached, cap_reached, below_minimum_order, excluded_lines, nothing_to_earn_on, member_suspended, no_birthday, not_birthday, currency_mismatch.",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "code",
                "detail"
              ],
              "properties": {
                "code": {
                  "type": "string"
                },
                "detail": {
                  "type": "string"
                },
                "rule": {
                  "type": "string",
                  "description": "The rule it concerns."
                }
              }
            }
          },
          "coupons": {
            "type": "array",
            "description": "Coupons a return of the whole order changed: those the order issued and nobody used are cancelled; those it was paid with are reissued where their reward's on_return says so.",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "code",
                "status"
              ],
              "properties": {
                "code": {
                  "type": "string"
                },
                "status": {
                  "enum": [
                    "cancelled",
                    "reissued"
                  ]
                }
              }
            }
          }
        }
      },
      "BatchItemResult": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "index",
          "status"
        ],
        "description": "One event's result, in the batch's order: status 201 recorded, 200 a replay (result is the first answer), or a problem's status with the problem.",
        "properties": {
          "index": {
            "type": "integer",
            "minimum": 0
          },
          "reference": {
            "type": "string"
          },
          "status": {
            "type": "integer"
          },
          "result": {
            "$ref": "#/components/schemas/EventResult"
          },
          "problem": {
            "$ref": "#/components/schemas/Problem"
          }
        }
      },
      "BatchResult": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "results"
        ],
        "properties": {
          "results": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/BatchItemResult"
            }
          }
        }
      },
      "EventBatch": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "events"
        ],
        "properties": {
          "events": {
            "type": "array",
            "minItems": 1,
            "maxItems": 1000,
            "items": {
              "anyOf": [
                {
                  "type": "object"
                },
                {
                  "description": "Anything that is not an event is refused on its own: its result holds its problem, and the others are recorded."
                }
              ]
            }
          }
        },
        "description": "Up to 1,000 events, each as POST /v1/events takes it; each is checked on its own."
      },
      "Transfer": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "points"
        ],
        "description": "Points to give to another member, named by to_member_id or by an identity in to.",
        "properties": {
          "points": {
            "type": "integer",
            "minimum": 1,
            "maximum": 10000000
          },
          "to_member_id": {
            "type": "string",
            "format": "uuid"
          },
          "to": {
            "type": "object",
            "additionalProperties": false,
            "properties": {
              "email": {
                "type": "string"
              },
              "phone": {
                "type": "string"
              },
              "card": {
                "type": "string"
              },
              "customer_id": {
                "type": "string"
              }
            }
          },
          "note": {
            "type": "string",
            "maxLength": 500
          }
        }
      },
      "TransferSide": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "member_id",
          "entries",
          "balance"
        ],
        "properties": {
          "member_id": {
            "type": "string",
            "format": "uuid"
          },
          "entries": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/LedgerEntry"
            }
          },
          "balance": {
            "$ref": "#/components/schemas/Balance"
          }
        }
      },
      "TransferResult": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "from",
          "to"
        ],
        "description": "Both sides of a transfer: the sender's transfer_out, and the recipient's transfer_in entries, one per expiry date of the points moved.",
        "properties": {
          "from": {
            "$ref": "#/components/schemas/TransferSide"
          },
          "to": {
            "$ref": "#/components/schemas/TransferSide"
          }
        }
      },
      "Donation": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "points",
          "cause"
        ],
        "properties": {
          "points": {
            "type": "integer",
            "minimum": 1,
            "maximum": 10000000
          },
          "cause": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200
          }
        }
      },
      "ProgramVersion": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "version",
          "effective_from",
          "created_at",
          "created_by",
          "in_force",
          "document"
        ],
        "description": "A version of the program document. Version 0 is Treu's standard program, in force until the first version takes effect.",
        "properties": {
          "version": {
            "type": "integer",
            "minimum": 0
          },
          "effective_from": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "created_at": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "created_by": {
            "type": [
              "string",
              "null"
            ]
          },
          "in_force": {
            "type": "boolean"
          },
          "document": {
            "$ref": "#/components/schemas/ProgramDocument"
          }
        }
      },
      "ProgramDocument": {
        "type": "object",
        "description": "The program document; its JSON Schema is docs/program.schema.json.",
        "required": [
          "name",
          "currency",
          "time_zone",
          "expiry",
          "earning"
        ]
      },
      "ProgramVersionList": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ProgramVersion"
            }
          }
        }
      },
      "ProgramDraft": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "document"
        ],
        "properties": {
          "effective_from": {
            "type": "string",
            "format": "date-time",
            "description": "When it takes effect (now or later; default now)."
          },
          "document": {
            "$ref": "#/components/schemas/ProgramDocument"
          }
        }
      },
      "ProgramDiff": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "from",
          "to",
          "changes"
        ],
        "properties": {
          "from": {
            "type": "integer"
          },
          "to": {
            "type": "integer"
          },
          "changes": {
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "path",
                "before",
                "after"
              ],
              "properties": {
                "path": {
                  "type": "string"
                },
                "before": {},
                "after": {}
              }
            }
          }
        }
      },
      "MemberAnalytics": {
        "type": [
          "object",
          "null"
        ],
        "additionalProperties": false,
        "description": "The member's figures from the last analytics snapshot (recomputed when older than TREU_ANALYTICS_REFRESH_SECONDS); null before the member's first order. RFM scores 1-5 (5 best); P(alive), expected purchases and predicted value (minor units, discounted 1 % a month) over horizon_months from a BG/NBD and Gamma-Gamma fit of the whole shop, null when the shop's data cannot be fitted.",
        "required": [
          "as_of",
          "segment",
          "recency",
          "frequency",
          "monetary",
          "orders",
          "historic_value",
          "p_alive",
          "expected_purchases",
          "predicted_value",
          "horizon_months"
        ],
        "properties": {
          "as_of": {
            "type": "string",
            "format": "date-time"
          },
          "segment": {
            "type": "string"
          },
          "recency": {
            "type": "integer"
          },
          "frequency": {
            "type": "integer"
          },
          "monetary": {
            "type": "integer"
          },
          "orders": {
            "type": "integer"
          },
          "historic_value": {
            "type": "integer"
          },
          "p_alive": {
            "type": [
              "number",
              "null"
            ]
          },
          "expected_purchases": {
            "type": [
              "number",
              "null"
            ]
          },
          "predicted_value": {
            "type": [
              "number",
              "null"
            ]
          },
          "horizon_months": {
            "type": "integer"
          }
        }
      },
      "RetentionReport": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "from",
          "to",
          "period",
          "active_days",
          "currency",
          "time_zone",
          "periods",
          "whole_range"
        ],
        "properties": {
          "from": {
            "type": "string",
            "format": "date"
          },
          "to": {
            "type": "string",
            "format": "date"
          },
          "period": {
            "enum": [
              "month",
              "quarter",
              "year"
            ]
          },
          "active_days": {
            "type": "integer"
          },
          "currency": {
            "type": "string"
          },
          "time_zone": {
            "type": "string"
          },
          "periods": {
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "period",
                "from",
                "to",
                "customers_at_start",
                "customers_at_end",
                "new_customers",
                "kept_from_start",
                "retention_rate",
                "repeat_buyer_rate",
                "churn_rate",
                "buyers",
                "orders",
                "revenue",
                "repeat_purchase_rate",
                "purchase_frequency",
                "average_order_value"
              ],
              "properties": {
                "period": {
                  "type": "string"
                },
                "from": {
                  "type": "string",
                  "format": "date"
                },
                "to": {
                  "type": "string",
                  "format": "date"
                },
                "customers_at_start": {
                  "type": "integer"
                },
                "customers_at_end": {
                  "type": "integer"
                },
                "new_customers": {
                  "type": "integer"
                },
                "kept_from_start": {
                  "type": "integer"
                },
                "retention_rate": {
                  "type": [
                    "number",
                    "null"
                  ]
                },
                "repeat_buyer_rate": {
                  "type": [
                    "number",
                    "null"
                  ]
                },
                "churn_rate": {
                  "type": [
                    "number",
                    "null"
                  ]
                },
                "buyers": {
                  "type": "integer"
                },
                "orders": {
                  "type": "integer"
                },
                "revenue": {
                  "type": "integer"
                },
                "repeat_purchase_rate": {
                  "type": [
                    "number",
                    "null"
                  ]
                },
                "purchase_frequency": {
                  "type": [
                    "number",
                    "null"
                  ]
                },
                "average_order_value": {
                  "type": [
                    "number",
                    "null"
                  ]
                },
                "tier": {
                  "type": "string"
                }
              }
            }
          },
          "whole_range": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "period",
              "from",
              "to",
              "customers_at_start",
              "customers_at_end",
              "new_customers",
              "kept_from_start",
              "retention_rate",
              "repeat_buyer_rate",
              "churn_rate",
              "buyers",
              "orders",
              "revenue",
              "repeat_purchase_rate",
              "purchase_frequency",
              "average_order_value"
            ],
            "properties": {
              "period": {
                "type": "string"
              },
              "from": {
                "type": "string",
                "format": "date"
              },
              "to": {
                "type": "string",
                "format": "date"
              },
              "customers_at_start": {
                "type": "integer"
              },
              "customers_at_end": {
                "type": "integer"
              },
              "new_customers": {
                "type": "integer"
              },
              "kept_from_start": {
                "type": "integer"
              },
              "retention_rate": {
                "type": [
                  "number",
                  "null"
                ]
              },
              "repeat_buyer_rate": {
                "type": [
                  "number",
                  "null"
                ]
              },
              "churn_rate": {
                "type": [
                  "number",
                  "null"
                ]
              },
              "buyers": {
                "type": "integer"
              },
              "orders": {
                "type": "integer"
              },
              "revenue": {
                "type": "integer"
              },
              "repeat_purchase_rate": {
                "type": [
                  "number",
                  "null"
                ]
              },
              "purchase_frequency": {
                "type": [
                  "number",
                  "null"
                ]
              },
              "average_order_value": {
                "type": [
                  "number",
                  "null"
                ]
              },
              "tier": {
                "type": "string"
              }
            },
            "description": "The same figures over the whole range at once (S as from opens, E on to, N first ordered within it), all members; period is \"FROM to TO\"."
          }
        }
      },
      "CohortReport": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "from",
          "to",
          "currency",
          "time_zone",
          "cohorts"
        ],
        "properties": {
          "from": {
            "type": "string"
          },
          "to": {
            "type": "string"
          },
          "currency": {
            "type": "string"
          },
          "time_zone": {
            "type": "string"
          },
          "cohorts": {
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "cohort",
                "customers",
                "retention",
                "active",
                "revenue"
              ],
              "properties": {
                "cohort": {
                  "type": "string"
                },
                "customers": {
                  "type": "integer"
                },
                "retention": {
                  "type": "array",
                  "items": {
                    "type": "number"
                  }
                },
                "active": {
                  "type": "array",
                  "items": {
                    "type": "integer"
                  }
                },
                "revenue": {
                  "type": "array",
                  "items": {
                    "type": "integer"
                  }
                }
              }
            }
          }
        }
      },
      "RFMReport": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "at",
          "customers",
          "currency",
          "segments"
        ],
        "properties": {
          "at": {
            "type": "string",
            "format": "date"
          },
          "customers": {
            "type": "integer"
          },
          "currency": {
            "type": "string"
          },
          "segments": {
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "segment",
                "key",
                "customers",
                "share",
                "mean_days_since_last_order",
                "mean_orders",
                "mean_spend"
              ],
              "properties": {
                "segment": {
                  "type": "string"
                },
                "key": {
                  "type": "string"
                },
                "customers": {
                  "type": "integer"
                },
                "share": {
                  "type": "number"
                },
                "mean_days_since_last_order": {
                  "type": [
                    "number",
                    "null"
                  ]
                },
                "mean_orders": {
                  "type": [
                    "number",
                    "null"
                  ]
                },
                "mean_spend": {
                  "type": [
                    "number",
                    "null"
                  ]
                }
              }
            }
          },
          "segment": {
            "type": "string"
          },
          "members": {
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "member_id",
                "recency",
                "frequency",
                "monetary",
                "segment",
                "days_since_last_order",
                "orders",
                "spend"
              ],
              "properties": {
                "member_id": {
                  "type": "string",
                  "format": "uuid"
                },
                "recency": {
                  "type": "integer"
                },
                "frequency": {
                  "type": "integer"
                },
                "monetary": {
                  "type": "integer"
                },
                "segment": {
                  "type": "string"
                },
                "days_since_last_order": {
                  "type": "integer"
                },
                "orders": {
                  "type": "integer"
                },
                "spend": {
                  "type": "integer"
                }
              }
            }
          }
        }
      },
      "LifetimeReport": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "at",
          "currency",
          "time_unit",
          "customers",
          "repeat_customers",
          "horizon_months",
          "discount_rate",
          "historic",
          "top",
          "purchase_unit"
        ],
        "properties": {
          "at": {
            "type": "string",
            "format": "date"
          },
          "currency": {
            "type": "string"
          },
          "time_unit": {
            "const": "week"
          },
          "customers": {
            "type": "integer"
          },
          "repeat_customers": {
            "type": "integer"
          },
          "horizon_months": {
            "type": "integer"
          },
          "discount_rate": {
            "type": "number"
          },
          "purchases": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "model",
              "parameters",
              "log_likelihood"
            ],
            "properties": {
              "model": {
                "type": "string"
              },
              "parameters": {
                "type": "object",
                "additionalProperties": {
                  "type": "number"
                }
              },
              "log_likelihood": {
                "type": "number"
              }
            }
          },
          "spend": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "model",
              "parameters",
              "log_likelihood"
            ],
            "properties": {
              "model": {
                "type": "string"
              },
              "parameters": {
                "type": "object",
                "additionalProperties": {
                  "type": "number"
                }
              },
              "log_likelihood": {
                "type": "number"
              }
            }
          },
          "historic": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "revenue",
              "mean_value"
            ],
            "properties": {
              "revenue": {
                "type": "integer"
              },
              "mean_value": {
                "type": "number"
              }
            }
          },
          "predicted": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "expected_purchases",
              "mean_p_alive",
              "value",
              "mean_value",
              "p_alive_distribution"
            ],
            "properties": {
              "expected_purchases": {
                "type": "number"
              },
              "mean_p_alive": {
                "type": "number"
              },
              "value": {
                "type": [
                  "number",
                  "null"
                ]
              },
              "mean_value": {
                "type": [
                  "number",
                  "null"
                ]
              },
              "p_alive_distribution": {
                "type": "array",
                "items": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "from",
                    "to",
                    "customers"
                  ],
                  "properties": {
                    "from": {
                      "type": "number"
                    },
                    "to": {
                      "type": "number"
                    },
                    "customers": {
                      "type": "integer"
                    }
                  }
                }
              }
            }
          },
          "top": {
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "member_id",
                "p_alive",
                "expected_purchases",
                "predicted_value",
                "historic_value"
              ],
              "properties": {
                "member_id": {
                  "type": "string",
                  "format": "uuid"
                },
                "p_alive": {
                  "type": "number"
                },
                "expected_purchases": {
                  "type": "number"
                },
                "predicted_value": {
                  "type": [
                    "number",
                    "null"
                  ]
                },
                "historic_value": {
                  "type": "integer"
                }
              }
            }
          },
          "holdout": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "calibration_end",
              "weeks",
              "customers",
              "actual_purchases",
              "predicted_purchases",
              "mean_absolute_error",
              "groups",
              "calibration",
              "tracking"
            ],
            "properties": {
              "calibration_end": {
                "type": "string",
                "format": "date"
              },
              "weeks": {
                "type": "integer"
              },
              "customers": {
                "type": "integer"
              },
              "actual_purchases": {
                "type": "integer"
              },
              "predicted_purchases": {
                "type": "number"
              },
              "mean_absolute_error": {
                "type": "number"
              },
              "groups": {
                "type": "array",
                "items": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "calibration_repeat_purchases",
                    "customers",
                    "actual_mean",
                    "predicted_mean"
                  ],
                  "properties": {
                    "calibration_repeat_purchases": {
                      "type": "string"
                    },
                    "customers": {
                      "type": "integer"
                    },
                    "actual_mean": {
                      "type": "number"
                    },
                    "predicted_mean": {
                      "type": "number"
                    }
                  }
                }
              },
              "calibration": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "model",
                  "parameters",
                  "log_likelihood"
                ],
                "properties": {
                  "model": {
                    "type": "string"
                  },
                  "parameters": {
                    "type": "object",
                    "additionalProperties": {
                      "type": "number"
                    }
                  },
                  "log_likelihood": {
                    "type": "number"
                  }
                },
                "description": "The purchase model fitted on the calibration period alone: its parameters and log-likelihood."
              },
              "tracking": {
                "type": "array",
                "items": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "week",
                    "end",
                    "actual_cumulative",
                    "predicted_cumulative"
                  ],
                  "properties": {
                    "week": {
                      "type": "integer",
                      "minimum": 1
                    },
                    "end": {
                      "type": "string",
                      "format": "date"
                    },
                    "actual_cumulative": {
                      "type": "integer"
                    },
                    "predicted_cumulative": {
                      "type": "number"
                    }
                  }
                },
                "description": "The papers' tracking chart: repeat purchases from the calibration end to the end of each holdout week, actual and predicted by the calibration fit."
              }
            }
          },
          "purchase_unit": {
            "const": "customer_day",
            "description": "What the models count as one purchase: a customer's orders of one day (program's zone), their amounts added. The retention report counts orders."
          },
          "member": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "member_id",
              "purchase_days",
              "frequency",
              "recency_weeks",
              "age_weeks",
              "p_alive",
              "expected_purchases",
              "predicted_value",
              "historic_value"
            ],
            "properties": {
              "member_id": {
                "type": "string",
                "format": "uuid"
              },
              "purchase_days": {
                "type": "integer",
                "minimum": 0,
                "description": "Days with a purchase up to the report's day."
              },
              "frequency": {
                "type": [
                  "integer",
                  "null"
                ],
                "description": "Repeat purchase days (null before a first purchase)."
              },
              "recency_weeks": {
                "type": [
                  "number",
                  "null"
                ]
              },
              "age_weeks": {
                "type": [
                  "number",
                  "null"
                ]
              },
              "p_alive": {
                "type": [
                  "number",
                  "null"
                ]
              },
              "expected_purchases": {
                "type": [
                  "number",
                  "null"
                ],
                "description": "Over horizon_months."
              },
              "predicted_value": {
                "type": [
                  "number",
                  "null"
                ],
                "description": "Minor units over horizon_months, discounted at discount_rate a month (null without a spend fit)."
              },
              "historic_value": {
                "type": "integer",
                "description": "Spend up to the report's day, minor units."
              }
            },
            "description": "With member_id: that customer as of the report's day (to), by the fit of the whole shop on that day."
          }
        }
      },
      "ProgramReport": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "from",
          "to",
          "period",
          "active_days",
          "currency",
          "time_zone",
          "periods",
          "totals"
        ],
        "properties": {
          "from": {
            "type": "string",
            "format": "date"
          },
          "to": {
            "type": "string",
            "format": "date"
          },
          "period": {
            "enum": [
              "month",
              "quarter",
              "year"
            ]
          },
          "active_days": {
            "type": "integer"
          },
          "currency": {
            "type": "string"
          },
          "time_zone": {
            "type": "string"
          },
          "periods": {
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "period",
                "from",
                "to",
                "enrolled",
                "members",
                "active_members",
                "issued",
                "taken_back",
                "redeemed",
                "expired",
                "adjusted",
                "transferred",
                "outstanding"
              ],
              "properties": {
                "period": {
                  "type": "string"
                },
                "from": {
                  "type": "string",
                  "format": "date"
                },
                "to": {
                  "type": "string",
                  "format": "date"
                },
                "enrolled": {
                  "type": "integer"
                },
                "members": {
                  "type": "integer"
                },
                "active_members": {
                  "type": "integer"
                },
                "issued": {
                  "type": "integer"
                },
                "taken_back": {
                  "type": "integer"
                },
                "redeemed": {
                  "type": "integer"
                },
                "expired": {
                  "type": "integer"
                },
                "adjusted": {
                  "type": "integer"
                },
                "transferred": {
                  "type": "integer"
                },
                "outstanding": {
                  "type": "integer"
                }
              }
            }
          },
          "totals": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "issued",
              "redeemed",
              "expired",
              "redemption_rate",
              "breakage",
              "outstanding",
              "point_value",
              "liability"
            ],
            "properties": {
              "issued": {
                "type": "integer"
              },
              "redeemed": {
                "type": "integer"
              },
              "expired": {
                "type": "integer"
              },
              "redemption_rate": {
                "type": [
                  "number",
                  "null"
                ]
              },
              "breakage": {
                "type": [
                  "number",
                  "null"
                ]
              },
              "outstanding": {
                "type": "integer"
              },
              "point_value": {
                "type": "number"
              },
              "liability": {
                "type": "integer"
              }
            }
          }
        }
      },
      "TierLevel": {
        "type": [
          "object",
          "null"
        ],
        "additionalProperties": false,
        "required": [
          "name",
          "threshold",
          "multiplier",
          "free_shipping",
          "perks",
          "paid"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "threshold": {
            "type": "integer"
          },
          "multiplier": {
            "type": [
              "number",
              "null"
            ]
          },
          "free_shipping": {
            "type": "boolean"
          },
          "perks": {
            "type": "object",
            "additionalProperties": {
              "type": "string"
            }
          },
          "paid": {
            "type": "boolean",
            "description": "Held by a running membership, not reached by the metric (threshold 0)."
          }
        },
        "description": "A tier level with its benefits; null where there is none."
      },
      "MemberTier": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "program_version",
          "metric",
          "window",
          "tier",
          "earned",
          "value",
          "window_start",
          "window_end",
          "next",
          "needed",
          "to_keep",
          "kept_until",
          "membership",
          "override"
        ],
        "properties": {
          "program_version": {
            "type": "integer"
          },
          "metric": {
            "enum": [
              "spend",
              "points",
              "orders"
            ]
          },
          "window": {
            "type": "string"
          },
          "tier": {
            "$ref": "#/components/schemas/TierLevel"
          },
          "earned": {
            "type": [
              "string",
              "null"
            ]
          },
          "value": {
            "type": "integer"
          },
          "window_start": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "window_end": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "next": {
            "$ref": "#/components/schemas/TierLevel"
          },
          "needed": {
            "type": [
              "integer",
              "null"
            ]
          },
          "to_keep": {
            "type": [
              "integer",
              "null"
            ]
          },
          "kept_until": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "membership": {
            "type": [
              "object",
              "null"
            ],
            "additionalProperties": false,
            "required": [
              "level",
              "until",
              "running"
            ],
            "description": "The member's latest membership of a paid level (null without one); a running one of a level above the earned one is the tier.",
            "properties": {
              "level": {
                "type": "string"
              },
              "until": {
                "type": "string",
                "format": "date-time"
              },
              "running": {
                "type": "boolean"
              }
            }
          },
          "override": {
            "type": [
              "object",
              "null"
            ],
            "additionalProperties": false,
            "required": [
              "level",
              "mode",
              "until",
              "running"
            ],
            "properties": {
              "level": {
                "type": "string"
              },
              "mode": {
                "enum": [
                  "floor",
                  "fixed"
                ]
              },
              "until": {
                "type": [
                  "string",
                  "null"
                ],
                "format": "date-time"
              },
              "running": {
                "type": "boolean"
              }
            },
            "description": "A level set by hand (PUT /v1/members/{id}/tier), running or ended; null without one."
          }
        }
      },
      "Referral": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "code",
          "referrer_id",
          "referred_id",
          "status",
          "reason",
          "explanation",
          "created_at",
          "order_reference",
          "due_at",
          "settled_at"
        ],
        "properties": {
          "id": {
            "type": "string",
            "format": "uuid"
          },
          "code": {
            "type": "string"
          },
          "referrer_id": {
            "type": "string",
            "format": "uuid",
            "description": "The member who brought the friend."
          },
          "referred_id": {
            "type": "string",
            "format": "uuid",
            "description": "The friend."
          },
          "status": {
            "enum": [
              "pending",
              "qualified",
              "rewarded",
              "cancelled",
              "refused"
            ],
            "description": "pending: no qualifying order yet; qualified: the friend's first qualifying order is in its return window until due_at; rewarded: both got their points; cancelled: a return within the window left the order below the minimum; refused: not accepted (reason)."
          },
          "reason": {
            "type": [
              "string",
              "null"
            ],
            "enum": [
              "self_referral",
              "limit_reached",
              "already_referred",
              "existing_customer",
              "returned",
              null
            ]
          },
          "explanation": {
            "type": [
              "string",
              "null"
            ]
          },
          "created_at": {
            "type": "string",
            "format": "date-time"
          },
          "order_reference": {
            "type": [
              "string",
              "null"
            ]
          },
          "due_at": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "settled_at": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          }
        }
      },
      "MemberReferrals": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "code",
          "link",
          "referred_by",
          "counts",
          "friends_spend",
          "currency",
          "referrals"
        ],
        "properties": {
          "code": {
            "type": "string",
            "pattern": "^[2-9A-HJKMNP-Z]{8}$",
            "description": "The member's code: 8 symbols without look-alikes (no 0, O, 1, I, L)."
          },
          "link": {
            "type": [
              "string",
              "null"
            ],
            "description": "The program's link with the code (null without one)."
          },
          "referred_by": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/Referral"
              },
              {
                "type": "null"
              }
            ]
          },
          "counts": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "brought",
              "pending",
              "qualified",
              "rewarded",
              "cancelled",
              "refused"
            ],
            "properties": {
              "brought": {
                "type": "integer",
                "minimum": 0
              },
              "pending": {
                "type": "integer",
                "minimum": 0
              },
              "qualified": {
                "type": "integer",
                "minimum": 0
              },
              "rewarded": {
                "type": "integer",
                "minimum": 0
              },
              "cancelled": {
                "type": "integer",
                "minimum": 0
              },
              "refused": {
                "type": "integer",
                "minimum": 0
              }
            },
            "description": "Referrals by status; brought: all not refused."
          },
          "friends_spend": {
            "type": "integer",
            "description": "What the friends brought bought, minor units, net of discounts and returns."
          },
          "currency": {
            "type": "string"
          },
          "referrals": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Referral"
            },
            "description": "Those the member made, oldest first."
          }
        }
      },
      "SendersReport": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "currency",
          "senders",
          "friends",
          "friends_spend",
          "top_senders",
          "top_spenders"
        ],
        "properties": {
          "currency": {
            "type": "string"
          },
          "senders": {
            "type": "integer"
          },
          "friends": {
            "type": "integer"
          },
          "friends_spend": {
            "type": "integer"
          },
          "top_senders": {
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "member_id",
                "brought",
                "rewarded",
                "friends_spend",
                "spend",
                "orders"
              ],
              "properties": {
                "member_id": {
                  "type": "string",
                  "format": "uuid"
                },
                "brought": {
                  "type": "integer"
                },
                "rewarded": {
                  "type": "integer"
                },
                "friends_spend": {
                  "type": "integer"
                },
                "spend": {
                  "type": "integer"
                },
                "orders": {
                  "type": "integer"
                }
              }
            }
          },
          "top_spenders": {
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "member_id",
                "brought",
                "rewarded",
                "friends_spend",
                "spend",
                "orders"
              ],
              "properties": {
                "member_id": {
                  "type": "string",
                  "format": "uuid"
                },
                "brought": {
                  "type": "integer"
                },
                "rewarded": {
                  "type": "integer"
                },
                "friends_spend": {
                  "type": "integer"
                },
                "spend": {
                  "type": "integer"
                },
                "orders": {
                  "type": "integer"
                }
              }
            }
          }
        }
      },
      "Reward": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "type",
          "cost",
          "title",
          "description",
          "valid_from",
          "valid_until",
          "stock",
          "limit",
          "tiers",
          "minimum_order",
          "coupon_days",
          "cancel_days",
          "on_void",
          "usable_after_days",
          "on_return",
          "exclusive"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "type": {
            "enum": [
              "percent_discount",
              "fixed_discount",
              "free_shipping",
              "free_product",
              "cheapest_free",
              "gift",
              "early_access",
              "donation"
            ]
          },
          "cost": {
            "type": "integer",
            "minimum": 1,
            "description": "Points."
          },
          "percent": {
            "type": "integer"
          },
          "amount": {
            "type": "integer",
            "description": "Minor units off."
          },
          "sku": {
            "type": "string"
          },
          "title": {
            "type": "object",
            "additionalProperties": {
              "type": "string"
            },
            "description": "By language: en, de, vi."
          },
          "description": {
            "type": "object",
            "additionalProperties": {
              "type": "string"
            },
            "description": "By language: en, de, vi."
          },
          "valid_from": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "valid_until": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "stock": {
            "type": [
              "integer",
              "null"
            ],
            "description": "Coupons that may ever be issued (null: no limit)."
          },
          "limit": {
            "type": [
              "object",
              "null"
            ],
            "additionalProperties": false,
            "required": [
              "count",
              "per"
            ],
            "properties": {
              "count": {
                "type": "integer",
                "minimum": 1
              },
              "per": {
                "enum": [
                  "day",
                  "week",
                  "month",
                  "year",
                  "ever"
                ]
              }
            },
            "description": "Per member: count per calendar period."
          },
          "tiers": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "Only for members holding one of these levels (empty: everyone)."
          },
          "minimum_order": {
            "type": "integer",
            "description": "Goods (minor units, after their discounts) a cart needs for the coupon."
          },
          "coupon_days": {
            "type": "integer",
            "description": "Days a coupon is valid from its redemption (to the end of the last day, program's zone)."
          },
          "cancel_days": {
            "type": "integer",
            "minimum": 0,
            "description": "Days after the redemption an unused coupon may be cancelled for its points (0: never; default 14)."
          },
          "on_void": {
            "type": "string",
            "enum": [
              "reissue",
              "refund"
            ],
            "description": "When its coupon's order is cancelled: the coupon works again (reissue), or it is cancelled and the points come back (refund)."
          },
          "applies_to": {
            "type": "object",
            "additionalProperties": false,
            "properties": {
              "skus": {
                "type": "array",
                "items": {
                  "type": "string",
                  "minLength": 1,
                  "maxLength": 128
                }
              },
              "categories": {
                "type": "array",
                "items": {
                  "type": "string",
                  "minLength": 1,
                  "maxLength": 128
                }
              }
            },
            "description": "The lines the discount applies to: those whose sku or category is listed (percent_discount, fixed_discount, cheapest_free). Left out: the whole cart."
          },
          "max_discount": {
            "type": "integer",
            "minimum": 1,
            "maximum": 1000000000000,
            "description": "The most a coupon takes off, minor units (percent_discount, free_product, cheapest_free)."
          },
          "quantity": {
            "oneOf": [
              {
                "type": "integer",
                "minimum": 1,
                "maximum": 1000000
              },
              {
                "const": "all"
              }
            ],
            "description": "free_product and cheapest_free: units free (1 by default), or all units the cart holds."
          },
          "usable_after_days": {
            "type": "integer",
            "minimum": 0,
            "description": "Days after its issue before a coupon can be used (0: at once); usable from the midnight ending the last of them, program's zone."
          },
          "on_return": {
            "type": "string",
            "enum": [
              "keep",
              "reissue"
            ],
            "description": "When the whole order its coupon paid is returned: keep the coupon used, or reissue it."
          },
          "exclusive": {
            "type": "boolean",
            "description": "Its code is the only one on an order: it is refused (coupon_not_combinable) on an order that has used another code, and another code is refused on an order that used it."
          }
        }
      },
      "Coupon": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "code",
          "reward_id",
          "member_id",
          "points",
          "status",
          "issued_at",
          "expires_at",
          "used_at",
          "order_reference",
          "earned_by"
        ],
        "properties": {
          "code": {
            "type": "string",
            "pattern": "^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$",
            "description": "12 symbols without look-alikes (no 0, O, 1, I, L), about 59 bits; any case, with or without dashes, is accepted."
          },
          "reward_id": {
            "type": "string"
          },
          "member_id": {
            "type": "string",
            "format": "uuid"
          },
          "points": {
            "type": "integer",
            "description": "Points paid."
          },
          "status": {
            "enum": [
              "issued",
              "used",
              "cancelled"
            ]
          },
          "issued_at": {
            "type": "string",
            "format": "date-time"
          },
          "expires_at": {
            "type": "string",
            "format": "date-time"
          },
          "used_at": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time",
            "description": "When it was used, or cancelled."
          },
          "order_reference": {
            "type": [
              "string",
              "null"
            ]
          },
          "earned_by": {
            "type": [
              "string",
              "null"
            ],
            "description": "The order that earned this next-order coupon; it is refused on that order (earned_by_this_order)."
          },
          "usable_from": {
            "type": "string",
            "format": "date-time",
            "description": "When the coupon can first be used, for a reward with usable_after_days (left out otherwise)."
          }
        }
      },
      "CouponCheck": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "valid",
          "reason",
          "explanation",
          "coupon",
          "reward_type",
          "discount",
          "free_shipping",
          "free_sku",
          "lines"
        ],
        "properties": {
          "valid": {
            "type": "boolean"
          },
          "reason": {
            "enum": [
              "reward_not_found",
              "reward_not_available",
              "tier_not_reached",
              "out_of_stock",
              "limit_reached",
              "coupon_not_found",
              "coupon_expired",
              "coupon_used",
              "coupon_cancelled",
              "below_minimum",
              "another_members_coupon",
              "currency_mismatch",
              "product_not_in_cart",
              "budget_spent",
              "cancel_window_closed",
              "earned_by_this_order",
              "cart_required",
              "coupon_not_yet_valid",
              "coupon_not_combinable",
              null
            ],
            "description": "Why not (null when valid)."
          },
          "explanation": {
            "type": [
              "string",
              "null"
            ]
          },
          "coupon": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/Coupon"
              },
              {
                "$ref": "#/components/schemas/CampaignCode"
              },
              {
                "type": "null"
              }
            ]
          },
          "reward_type": {
            "type": [
              "string",
              "null"
            ]
          },
          "discount": {
            "type": "integer",
            "description": "Minor units off the goods."
          },
          "free_shipping": {
            "type": "boolean"
          },
          "free_sku": {
            "type": [
              "string",
              "null"
            ]
          },
          "lines": {
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "index",
                "sku",
                "discount"
              ],
              "properties": {
                "index": {
                  "type": "integer",
                  "minimum": 0,
                  "description": "The line's place in the cart (0 the first)."
                },
                "sku": {
                  "type": "string"
                },
                "discount": {
                  "type": "integer",
                  "minimum": 0,
                  "description": "Minor units off this line."
                }
              }
            },
            "description": "The discount line by line (largest remainder: the parts add up to discount exactly), for booking; empty without a cart."
          }
        }
      },
      "Checkout": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "currency": {
            "type": "string",
            "pattern": "^[A-Za-z]{3}$",
            "description": "Default: the program's."
          },
          "lines": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/EventLine"
            },
            "maxItems": 1000
          },
          "shipping": {
            "type": "integer",
            "minimum": 0,
            "maximum": 1000000000000,
            "description": "Minor units."
          },
          "member_id": {
            "type": "string",
            "format": "uuid",
            "description": "The member presenting the coupon: another member's is refused."
          },
          "order_reference": {
            "type": "string",
            "minLength": 1,
            "maxLength": 128
          }
        }
      },
      "CampaignCode": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "code",
          "campaign_id",
          "status",
          "used_at",
          "order_reference",
          "discount"
        ],
        "properties": {
          "code": {
            "type": "string"
          },
          "campaign_id": {
            "type": "string",
            "format": "uuid"
          },
          "status": {
            "enum": [
              "issued",
              "used"
            ]
          },
          "used_at": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "order_reference": {
            "type": [
              "string",
              "null"
            ]
          },
          "discount": {
            "type": [
              "integer",
              "null"
            ],
            "description": "Minor units its use took from the budget."
          }
        }
      },
      "CampaignCreate": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "name",
          "reward",
          "count"
        ],
        "properties": {
          "name": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200
          },
          "reward": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "type"
            ],
            "properties": {
              "type": {
                "enum": [
                  "percent_discount",
                  "fixed_discount",
                  "free_shipping",
                  "free_product",
                  "cheapest_free"
                ]
              },
              "percent": {
                "type": "integer",
                "minimum": 1,
                "maximum": 100
              },
              "amount": {
                "type": "integer",
                "minimum": 1,
                "maximum": 1000000000000
              },
              "sku": {
                "type": "string",
                "minLength": 1
              },
              "minimum_order": {
                "type": "integer",
                "minimum": 0,
                "maximum": 1000000000000
              },
              "applies_to": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                  "skus": {
                    "type": "array",
                    "items": {
                      "type": "string",
                      "minLength": 1,
                      "maxLength": 128
                    }
                  },
                  "categories": {
                    "type": "array",
                    "items": {
                      "type": "string",
                      "minLength": 1,
                      "maxLength": 128
                    }
                  }
                },
                "description": "The lines the discount applies to: those whose sku or category is listed (percent_discount, fixed_discount, cheapest_free). Left out: the whole cart."
              },
              "max_discount": {
                "type": "integer",
                "minimum": 1,
                "maximum": 1000000000000,
                "description": "The most a coupon takes off, minor units (percent_discount, free_product, cheapest_free)."
              },
              "quantity": {
                "oneOf": [
                  {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 1000000
                  },
                  {
                    "const": "all"
                  }
                ],
                "description": "free_product and cheapest_free: units free (1 by default), or all units the cart holds."
              },
              "exclusive": {
                "type": "boolean",
                "description": "Its code is the only one on an order: it is refused (coupon_not_combinable) on an order that has used another code, and another code is refused on an order that used it."
              }
            }
          },
          "count": {
            "type": "integer",
            "minimum": 0,
            "maximum": 100000,
            "description": "Codes to generate: at most 100,000 a request (a request of more is 422 invalid_count)."
          },
          "pattern": {
            "type": "string",
            "description": "# for a random symbol of the 31 without look-alikes, anything else as written (####-####-####); 6 to 14 #, and 31^# ≥ 1000 × count."
          },
          "expires_at": {
            "type": "string",
            "format": "date-time"
          },
          "budget": {
            "type": "object",
            "additionalProperties": false,
            "properties": {
              "uses": {
                "type": "integer",
                "minimum": 0,
                "maximum": 1000000000000
              },
              "money": {
                "type": "integer",
                "minimum": 0,
                "maximum": 1000000000000000
              }
            },
            "description": "Never exceeded, whatever the concurrency: uses of codes, and money (minor units) taken off, all codes together."
          }
        }
      },
      "Campaign": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "name",
          "reward",
          "pattern",
          "expires_at",
          "budget",
          "used_uses",
          "used_money",
          "created_at"
        ],
        "properties": {
          "id": {
            "type": "string",
            "format": "uuid"
          },
          "name": {
            "type": "string"
          },
          "reward": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "type"
            ],
            "properties": {
              "type": {
                "enum": [
                  "percent_discount",
                  "fixed_discount",
                  "free_shipping",
                  "free_product",
                  "cheapest_free"
                ]
              },
              "percent": {
                "type": "integer",
                "minimum": 1,
                "maximum": 100
              },
              "amount": {
                "type": "integer",
                "minimum": 1
              },
              "sku": {
                "type": "string",
                "minLength": 1
              },
              "minimum_order": {
                "type": "integer",
                "minimum": 0
              },
              "applies_to": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                  "skus": {
                    "type": "array",
                    "items": {
                      "type": "string",
                      "minLength": 1,
                      "maxLength": 128
                    }
                  },
                  "categories": {
                    "type": "array",
                    "items": {
                      "type": "string",
                      "minLength": 1,
                      "maxLength": 128
                    }
                  }
                },
                "description": "The lines the discount applies to: those whose sku or category is listed (percent_discount, fixed_discount, cheapest_free). Left out: the whole cart."
              },
              "max_discount": {
                "type": "integer",
                "minimum": 1,
                "maximum": 1000000000000,
                "description": "The most a coupon takes off, minor units (percent_discount, free_product, cheapest_free)."
              },
              "quantity": {
                "oneOf": [
                  {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 1000000
                  },
                  {
                    "const": "all"
                  }
                ],
                "description": "free_product and cheapest_free: units free (1 by default), or all units the cart holds."
              },
              "exclusive": {
                "type": "boolean",
                "description": "Its code is the only one on an order: it is refused (coupon_not_combinable) on an order that has used another code, and another code is refused on an order that used it."
              }
            }
          },
          "pattern": {
            "type": "string"
          },
          "expires_at": {
            "type": [
              "string",
              "null"
            ],
            "format": "date-time"
          },
          "budget": {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "uses",
              "money"
            ],
            "properties": {
              "uses": {
                "type": [
                  "integer",
                  "null"
                ]
              },
              "money": {
                "type": [
                  "integer",
                  "null"
                ]
              }
            }
          },
          "used_uses": {
            "type": "integer"
          },
          "used_money": {
            "type": "integer"
          },
          "created_at": {
            "type": "string",
            "format": "date-time"
          },
          "codes": {
            "type": "integer",
            "description": "On creation: the codes made."
          }
        }
      },
      "TierOverride": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "level",
          "reason"
        ],
        "properties": {
          "level": {
            "type": "string",
            "minLength": 1,
            "description": "A level of the program in force."
          },
          "mode": {
            "enum": [
              "floor",
              "fixed"
            ],
            "default": "floor",
            "description": "floor: at least this level (the metric may lift the member higher); fixed: this level whatever the metric."
          },
          "until": {
            "type": "string",
            "format": "date-time",
            "description": "When it ends (left out: until taken off); in the future."
          },
          "reason": {
            "type": "string",
            "minLength": 1,
            "maxLength": 500,
            "description": "Why, for the member's history (recorded with the key that set it)."
          }
        }
      }
    },
    "responses": {
      "BadRequest": {
        "description": "The request is malformed: malformed_json, unknown_field, missing_field, invalid_field (also a null where none is taken), duplicate_field (a key twice in one object), invalid_character (a NUL anywhere), invalid_parameter, invalid_idempotency_key.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "Unauthorized": {
        "description": "No API key (unauthorized) or an unknown or revoked one (invalid_api_key).",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "Forbidden": {
        "description": "The key's role may not do this (forbidden).",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "Conflict": {
        "description": "identity_taken, last_identity, idempotency_key_reused or idempotency_key_in_use.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "BodyTooLarge": {
        "description": "The body is larger than the server takes (body_too_large); the connection is closed after the answer.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "Unprocessable": {
        "description": "A value is not acceptable: invalid_email, invalid_phone, invalid_card, invalid_customer_id, invalid_date, invalid_name, invalid_attribute, too_many_attributes, identity_required, duplicate_identity, invalid_cursor.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "NotFound": {
        "description": "No such member (member_not_found) or identity (identity_not_found).",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      }
    },
    "parameters": {
      "IdempotencyKey": {
        "name": "Idempotency-Key",
        "in": "header",
        "required": false,
        "schema": {
          "type": "string",
          "minLength": 1,
          "maxLength": 255
        },
        "description": "A retry with the same key and body returns the first answer and changes nothing; the same key with another body is a 409 idempotency_key_reused."
      },
      "ID": {
        "name": "id",
        "in": "path",
        "required": true,
        "schema": {
          "type": "string",
          "format": "uuid"
        }
      },
      "ReportFrom": {
        "name": "from",
        "in": "query",
        "required": false,
        "schema": {
          "type": "string",
          "format": "date"
        },
        "description": "First day (program's time zone); default: the first day of the month eleven months before `to`."
      },
      "ReportTo": {
        "name": "to",
        "in": "query",
        "required": false,
        "schema": {
          "type": "string",
          "format": "date"
        },
        "description": "Last day; default: today."
      },
      "ReportPeriod": {
        "name": "period",
        "in": "query",
        "required": false,
        "schema": {
          "enum": [
            "month",
            "quarter",
            "year"
          ]
        },
        "description": "Rows by month (default), quarter or year."
      },
      "ReportActiveDays": {
        "name": "active_days",
        "in": "query",
        "required": false,
        "schema": {
          "type": "integer",
          "minimum": 1,
          "maximum": 3650
        },
        "description": "A member is a customer on a day if they bought within this many days up to it (365)."
      }
    }
  }
}
"""#
}
