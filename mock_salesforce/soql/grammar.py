"""The SOQL grammar (lark, LALR(1) with the contextual lexer).

Keywords are case-insensitive. Words that SOQL only gives meaning to in one place (`NULL`,
`TRUE`, `TODAY`, `ASC`, `FIELDS`, `COUNT`, ...) are lexed as NAME and classified by the
transformer, so field and object names such as `Type`, `Order` or `Group` stay usable
wherever the grammar expects a name.
"""

from __future__ import annotations

GRAMMAR = r"""
start: query

// Each optional clause is its own nullable rule: written inline as [x] [y] ... lark would
// expand the 2^11 combinations and take seconds to build the LALR tables.
query: _SELECT select_list _FROM from_clause _using _where _with _group _having _order \
       _limit _offset _for _update
_using: [using_clause]
_where: [where_clause]
_with: [with_clause]
_group: [group_clause]
_having: [having_clause]
_order: [order_clause]
_limit: [limit_clause]
_offset: [offset_clause]
_for: [for_clause]
_update: [update_clause]

select_list: select_item ("," select_item)*

?select_item: field_path
            | function_call [NAME]      -> aliased_call
            | "(" query ")"             -> child_query
            | typeof

typeof: _TYPEOF NAME typeof_when+ [_ELSE path_list] _END
typeof_when: _WHEN NAME _THEN path_list
path_list: field_path ("," field_path)*

field_path: NAME ("." NAME)*

function_call: NAME "(" [call_argument ("," call_argument)*] ")"
?call_argument: field_path | function_call | STRING | NUMBER

from_clause: NAME [NAME]
using_clause: _USING _SCOPE NAME
where_clause: _WHERE condition
with_clause: _WITH NAME
group_clause: _GROUP _BY operand ("," operand)*
having_clause: _HAVING condition
order_clause: _ORDER _BY order_key ("," order_key)*
order_key: operand [NAME] [_NULLS NAME]
limit_clause: _LIMIT NUMBER
offset_clause: _OFFSET NUMBER
for_clause: _FOR NAME ("," NAME)*
update_clause: _UPDATE NAME

?condition: unary
          | unary (_AND unary)+         -> and_condition
          | unary (_OR unary)+          -> or_condition

?unary: _NOT unary                      -> not_condition
      | "(" condition ")"
      | predicate

?predicate: operand COMPARISON value    -> comparison
          | operand _LIKE value         -> like
          | operand _IN in_source       -> in_condition
          | operand _NOT _IN in_source  -> not_in_condition
          | operand _INCLUDES "(" value_list ")"  -> includes
          | operand _EXCLUDES "(" value_list ")"  -> excludes

?operand: field_path | function_call

in_source: "(" value_list ")"
         | "(" query ")"
value_list: value ("," value)*

?value: STRING | NUMBER | DATE | DATETIME | RELATIVE_DATE_N | NAME | BIND

_SELECT: "SELECT"i
_FROM: "FROM"i
_WHERE: "WHERE"i
_WITH: "WITH"i
_GROUP: "GROUP"i
_BY: "BY"i
_HAVING: "HAVING"i
_ORDER: "ORDER"i
_LIMIT: "LIMIT"i
_OFFSET: "OFFSET"i
_FOR: "FOR"i
_UPDATE: "UPDATE"i
_USING: "USING"i
_SCOPE: "SCOPE"i
_NULLS: "NULLS"i
_AND: "AND"i
_OR: "OR"i
_NOT: "NOT"i
_IN: "IN"i
_LIKE: "LIKE"i
_INCLUDES: "INCLUDES"i
_EXCLUDES: "EXCLUDES"i
_TYPEOF: "TYPEOF"i
_WHEN: "WHEN"i
_THEN: "THEN"i
_ELSE: "ELSE"i
_END: "END"i

COMPARISON: "!=" | "<>" | "<=" | ">=" | "=" | "<" | ">"
DATETIME.4: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?/i
DATE.3: /\d{4}-\d{2}-\d{2}/
NUMBER.2: /[+-]?(\d+(\.\d*)?|\.\d+)/
RELATIVE_DATE_N.2: /[A-Za-z][A-Za-z0-9_]*:\s*[+-]?\d+/
BIND.2: /:[A-Za-z_][A-Za-z0-9_.]*/
STRING: /'(\\.|[^'\\])*'/s
NAME: /[A-Za-z][A-Za-z0-9_]*/

%ignore /\s+/
"""
