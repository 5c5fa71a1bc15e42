package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/accounts"
	"switchyard/web/views"
)

// newUserForm is what the add-user form posts.
type newUserForm = accounts.NewUser

// userChangesForm is what the edit-user form posts.
type userChangesForm = accounts.UserChanges

// listUsers shows every user.
func (s *Server) listUsers(c echo.Context) error {
	users, err := s.accounts.ListUsers(c.Request().Context())
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "Users", views.Users(users, takeNotice(c)))
}

// newUserPage shows the add-user form.
func (s *Server) newUserPage(c echo.Context) error {
	return s.userEditor(c, http.StatusOK, views.UserForm{Role: string(app.RoleSupport)}, nil)
}

// createUser adds a user and shows the password once.
func (s *Server) createUser(c echo.Context) error {
	var f newUserForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	u, password, err := s.accounts.CreateUser(c.Request().Context(), currentUser(c).Actor(), f)
	if errs, msg, ok := fieldErrors(err); ok {
		form := views.UserForm{Email: f.Email, Name: f.Name, Role: f.Role, Locations: f.Locations, Errors: errs, Message: msg}
		return s.userEditor(c, http.StatusUnprocessableEntity, form, nil)
	} else if err != nil {
		return err
	}
	return s.render(c, http.StatusCreated, "User added", views.PasswordShown(u, password))
}

// editUserPage shows one user's form and actions.
func (s *Server) editUserPage(c echo.Context) error {
	u, err := s.userFromPath(c)
	if err != nil {
		return err
	}
	return s.userEditor(c, http.StatusOK, formOf(u), &u)
}

// updateUser saves a user's name, role and locations.
func (s *Server) updateUser(c echo.Context) error {
	u, err := s.userFromPath(c)
	if err != nil {
		return err
	}
	var f userChangesForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	_, err = s.accounts.UpdateUser(c.Request().Context(), currentUser(c).Actor(), u.ID, f)
	if errs, msg, ok := fieldErrors(err); ok {
		form := views.UserForm{ID: u.ID, Email: u.Email, Name: f.Name, Role: f.Role, Locations: f.Locations, Errors: errs, Message: msg}
		return s.userEditor(c, http.StatusUnprocessableEntity, form, &u)
	} else if err != nil {
		return err
	}
	return redirectWithFlash(c, "/admin/users", "Saved "+u.Name)
}

// deactivateUser stops a user from signing in and ends their sessions.
func (s *Server) deactivateUser(c echo.Context) error { return s.setActive(c, false) }

// activateUser lets a deactivated user sign in again.
func (s *Server) activateUser(c echo.Context) error { return s.setActive(c, true) }

// setActive deactivates or reactivates the user in the path.
func (s *Server) setActive(c echo.Context, active bool) error {
	id, err := pathID(c, "id", "user")
	if err != nil {
		return err
	}
	u, err := s.accounts.SetUserActive(c.Request().Context(), currentUser(c).Actor(), id, active)
	if err != nil {
		return err
	}
	verb := "Deactivated "
	if active {
		verb = "Reactivated "
	}
	return redirectWithFlash(c, "/admin/users", verb+u.Name)
}

// resetPasswordForm is what the reset-password form posts.
type resetPasswordForm struct {
	Password string `form:"password"`
}

// resetPassword sets a new password for the user and shows it once.
func (s *Server) resetPassword(c echo.Context) error {
	u, err := s.userFromPath(c)
	if err != nil {
		return err
	}
	var f resetPasswordForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	password, err := s.accounts.ResetPassword(c.Request().Context(), currentUser(c).Actor(), u.ID, f.Password)
	if errs, msg, ok := fieldErrors(err); ok {
		form := formOf(u)
		form.Errors, form.Message = errs, msg
		return s.userEditor(c, http.StatusUnprocessableEntity, form, &u)
	} else if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "Password reset", views.PasswordShown(u, password))
}

// userFromPath loads the user named by the :id path parameter.
func (s *Server) userFromPath(c echo.Context) (accounts.User, error) {
	id, err := pathID(c, "id", "user")
	if err != nil {
		return accounts.User{}, err
	}
	return s.accounts.GetUser(c.Request().Context(), id)
}

// userEditor renders the add or edit form with the locations to choose from,
// and for an existing user their actions and open sessions.
func (s *Server) userEditor(c echo.Context, status int, f views.UserForm, u *accounts.User) error {
	locs, err := s.app.LocationChoices(c.Request().Context())
	if err != nil {
		return err
	}
	title := "Add a user"
	var open views.UserSessions
	if u != nil {
		title = u.Name
		open.Current = currentSessionID(c)
		open.List, err = s.accounts.ListSessions(c.Request().Context(), currentUser(c).Actor(), u.ID)
		if err != nil {
			return err
		}
	}
	return s.render(c, status, title, views.UserEditor(csrfToken(c), f, locs, u, open))
}

// endUserSession ends one of the user's open sessions.
func (s *Server) endUserSession(c echo.Context) error {
	id, err := pathID(c, "id", "user")
	if err != nil {
		return err
	}
	sid, err := pathID(c, "session", "session")
	if err != nil {
		return err
	}
	if err := s.accounts.EndSession(c.Request().Context(), currentUser(c).Actor(), id, sid); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/users/"+strconv.FormatInt(id, 10)+"#sessions")
}

// endUserSessions ends every open session of the user.
func (s *Server) endUserSessions(c echo.Context) error {
	id, err := pathID(c, "id", "user")
	if err != nil {
		return err
	}
	if _, err := s.accounts.EndSessions(c.Request().Context(), currentUser(c).Actor(), id); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/users/"+strconv.FormatInt(id, 10)+"#sessions")
}

// formOf fills the edit form from a user.
func formOf(u accounts.User) views.UserForm {
	f := views.UserForm{ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role)}
	for _, l := range u.Locations {
		f.Locations = append(f.Locations, l.Code)
	}
	return f
}
