"""Premiums: instalments, payments and their changes, SEPA mandates and bank accounts, card
regularisation, receipts, exports, debit reminders."""
